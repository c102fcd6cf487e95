"""A tiny threaded loopback POP3 server (RFC 1939) holding one mailbox, for "new mail" tests.

Enough for Thunderbird's POP3 client: CAPA, USER/PASS (any password equal to ``password``),
STAT, LIST, UIDL, TOP, RETR, DELE, NOOP, RSET, QUIT; AUTH and STLS are refused. Messages are
added with ``add(raw)``; DELE'd ones are removed at QUIT, as a real server does. Every command
line is kept in ``transcript`` (PASS hidden).
"""
from __future__ import annotations

import socketserver
import threading
import time
import uuid


class _Handler(socketserver.StreamRequestHandler):
    timeout = 600

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def multiline(self, first: str, body: bytes) -> None:
        lines = body.replace(b"\r\n", b"\n").split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        out = [first.encode()]
        out += [(b"." + ln if ln.startswith(b".") else ln) for ln in lines]
        out.append(b".")
        self.wfile.write(b"\r\n".join(out) + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:  # noqa: C901 - a protocol loop
        box: Pop3Server = self.server.box  # type: ignore[attr-defined]
        box._log(f"* connection from {self.client_address[0]}:{self.client_address[1]}")
        self.reply("+OK ccguard-e2e POP3 ready")
        user, authed = None, False
        snapshot: list[tuple[str, bytes]] = []  # (uid, raw) as of login, numbered from 1
        deleted: set[int] = set()

        def message(arg: str) -> tuple[int, bytes] | None:
            try:
                n = int(arg)
            except ValueError:
                return None
            if 1 <= n <= len(snapshot) and n not in deleted:
                return n, snapshot[n - 1][1]
            return None

        while True:
            raw = self.rfile.readline(4096)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            box._log("PASS ****" if verb == "PASS" else line)
            if verb == "CAPA":
                self.multiline("+OK capabilities", b"USER\r\nUIDL\r\nTOP\r\n")
            elif verb in ("AUTH", "STLS", "APOP"):
                self.reply("-ERR not supported")
            elif verb == "USER":
                user = arg
                self.reply("+OK send PASS")
            elif verb == "PASS":
                if user == box.user and arg == box.password:
                    authed = True
                    snapshot = box._snapshot()
                    deleted = set()
                    self.reply(f"+OK {len(snapshot)} messages")
                else:
                    self.reply("-ERR authentication failed")
            elif verb == "QUIT":
                if authed:
                    box._remove({snapshot[n - 1][0] for n in deleted})
                self.reply("+OK bye")
                return
            elif not authed:
                self.reply("-ERR log in first")
            elif verb == "NOOP":
                self.reply("+OK")
            elif verb == "RSET":
                deleted = set()
                self.reply("+OK")
            elif verb == "STAT":
                live = [(n, r) for n, (_, r) in enumerate(snapshot, 1) if n not in deleted]
                self.reply(f"+OK {len(live)} {sum(len(r) for _, r in live)}")
            elif verb in ("LIST", "UIDL"):
                def entry(n: int, uid: str, r: bytes) -> str:
                    return f"{n} {len(r) if verb == 'LIST' else uid}"
                if arg:
                    m = message(arg)
                    if m is None:
                        self.reply("-ERR no such message")
                    else:
                        self.reply("+OK " + entry(m[0], snapshot[m[0] - 1][0], m[1]))
                else:
                    body = "\r\n".join(entry(n, uid, r) for n, (uid, r) in enumerate(snapshot, 1)
                                       if n not in deleted)
                    self.multiline("+OK", body.encode())
            elif verb in ("RETR", "TOP"):
                parts = arg.split()
                m = message(parts[0]) if parts else None
                if m is None:
                    self.reply("-ERR no such message")
                    continue
                data = m[1]
                if verb == "TOP":
                    head, sep, body = data.replace(b"\r\n", b"\n").partition(b"\n\n")
                    keep = int(parts[1]) if len(parts) > 1 else 0
                    data = head + sep + b"\n".join(body.split(b"\n")[:keep])
                else:
                    box._retrieved(snapshot[m[0] - 1][0])
                self.multiline(f"+OK {len(m[1])} octets", data)
            elif verb == "DELE":
                m = message(arg)
                if m is None:
                    self.reply("-ERR no such message")
                else:
                    deleted.add(m[0])
                    self.reply("+OK deleted")
            else:
                self.reply("-ERR unknown command")


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Pop3Server:
    """``with Pop3Server(user, password) as pop: pop.add(raw); pop.port ...``"""

    def __init__(self, user: str = "ann", password: str = "e2e-secret", host: str = "127.0.0.1", port: int = 0):
        self.user, self.password = user, password
        self._server = _Server((host, port), _Handler)
        self._server.box = self  # type: ignore[attr-defined]
        self._cond = threading.Condition()
        self._mailbox: list[tuple[str, bytes]] = []
        self.retrieved: list[str] = []
        self.transcript: list[str] = []
        self._thread = threading.Thread(target=self._server.serve_forever, name="pop3", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def start(self) -> "Pop3Server":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "Pop3Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def add(self, raw: bytes | str) -> str:
        """Put a message in the mailbox; returns its UIDL."""
        data = raw.encode() if isinstance(raw, str) else raw
        uid = uuid.uuid4().hex
        with self._cond:
            self._mailbox.append((uid, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")))
        return uid

    @property
    def waiting(self) -> int:
        """Messages still on the server."""
        with self._cond:
            return len(self._mailbox)

    def wait_retrieved(self, count: int, timeout: float = 30.0) -> list[str]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.retrieved) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"POP3: {len(self.retrieved)} of {count} message(s) retrieved "
                                       f"within {timeout:.0f}s; transcript tail: {self.transcript[-12:]}")
                self._cond.wait(left)
            return list(self.retrieved)

    # -- called by the handler ---------------------------------------------------------------
    def _log(self, line: str) -> None:
        with self._cond:
            self.transcript.append(line)

    def _snapshot(self) -> list[tuple[str, bytes]]:
        with self._cond:
            return list(self._mailbox)

    def _retrieved(self, uid: str) -> None:
        with self._cond:
            self.retrieved.append(uid)
            self._cond.notify_all()

    def _remove(self, uids: set[str]) -> None:
        with self._cond:
            self._mailbox = [(u, r) for u, r in self._mailbox if u not in uids]
