"""A tiny threaded loopback SMTP server that records what Thunderbird really sends.

Each accepted message is recorded as a ``Received`` with the envelope (MAIL FROM, RCPT TO), the raw
DATA and the headers parsed by the ``email`` package. Only what Thunderbird needs is implemented:
EHLO/HELO, MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP, QUIT.

Failures on demand: ``sink.refuse_rcpt`` (addresses answered ``550`` at RCPT TO) and
``sink.drop_at`` (a verb such as ``"DATA"`` at which the connection is closed without an answer).
``sink.ehlo_extra`` adds EHLO keywords (e.g. ``["DSN"]``); the parameters Thunderbird then puts on
MAIL FROM / RCPT TO are in ``transcript``.
"""
from __future__ import annotations

import email
import email.policy
import email.utils
import re
import socketserver
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Received:
    mail_from: str
    rcpt_to: list[str]
    data: bytes
    message: email.message.EmailMessage = field(repr=False)

    def header(self, name: str) -> str | None:
        value = self.message.get(name)
        return None if value is None else str(value)

    def addresses(self, name: str) -> list[str]:
        """Bare, lower-cased e-mail addresses found in every header called ``name``."""
        values = [str(v) for v in (self.message.get_all(name) or [])]
        return [addr.lower() for _, addr in email.utils.getaddresses(values) if addr]

    @property
    def subject(self) -> str | None:
        return self.header("Subject")

    @property
    def envelope(self) -> list[str]:
        return [r.lower() for r in self.rcpt_to]

    def body_text(self) -> str:
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


_ADDR = re.compile(rb"<([^>]*)>")


class _Handler(socketserver.StreamRequestHandler):
    # Longer than any suite run, so the sink never closes a connection Thunderbird may still
    # hold. (A 140 ESR send once failed with PR_CONNECT_RESET_ERROR under heavy load; two sends
    # 75 s apart with the old 60 s timeout did not reproduce it, so this is only a precaution.)
    timeout = 1800

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:  # noqa: C901 - a protocol loop
        sink: SmtpSink = self.server.sink  # type: ignore[attr-defined]
        # Logged so that a failed send shows whether Thunderbird reached the sink at all.
        sink._log(b"* connection from %s:%d" % (self.client_address[0].encode(), self.client_address[1]))
        self.reply("220 ccguard-e2e-sink ESMTP")
        mail_from, rcpts = None, []
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return
            verb = line[:4].upper()
            sink._log(line.rstrip(b"\r\n")[:200])
            if sink.drop_at and verb == sink.drop_at.upper().encode():
                sink._log(b"* dropped the connection")
                return
            if verb == b"EHLO":
                extra = b"".join(b"250-" + k.encode() + b"\r\n" for k in sink.ehlo_extra)
                self.wfile.write(b"250-ccguard-e2e-sink\r\n250-8BITMIME\r\n250-SIZE 104857600\r\n" + extra + b"250 OK\r\n")
                self.wfile.flush()
            elif verb == b"HELO":
                self.reply("250 ccguard-e2e-sink")
            elif verb == b"MAIL":
                m = _ADDR.search(line)
                mail_from, rcpts = (m.group(1).decode() if m else ""), []
                self.reply("250 OK")
            elif verb == b"RCPT":
                m = _ADDR.search(line)
                addr = m.group(1).decode() if m else ""
                if addr.lower() in {a.lower() for a in sink.refuse_rcpt}:
                    self.reply("550 5.1.1 <%s>: Recipient address rejected: no such user" % addr)
                    continue
                rcpts.append(addr)
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                chunks = []
                while True:
                    dl = self.rfile.readline(1 << 20)
                    if not dl:
                        return
                    if dl in (b".\r\n", b".\n"):
                        break
                    if dl.startswith(b".."):
                        dl = dl[1:]
                    chunks.append(dl)
                data = b"".join(chunks)
                msg = email.message_from_bytes(data, policy=email.policy.default)
                sink._record(Received(mail_from or "", list(rcpts), data, msg))
                mail_from, rcpts = None, []
                self.reply("250 OK queued")
            elif verb == b"RSET":
                mail_from, rcpts = None, []
                self.reply("250 OK")
            elif verb == b"NOOP":
                self.reply("250 OK")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Connections wait in the kernel while a loaded machine schedules the accept thread.
    request_queue_size = 64


class SmtpSink:
    """``with SmtpSink() as sink: sink.port ...``; ``sink.wait_for(n)`` polls with a deadline."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._server = _Server((host, port), _Handler)
        self._server.sink = self  # type: ignore[attr-defined]
        self._cond = threading.Condition()
        self._messages: list[Received] = []
        self.transcript: list[bytes] = []
        self.refuse_rcpt: set[str] = set()
        self.drop_at: str | None = None
        self.ehlo_extra: list[str] = []
        self._thread = threading.Thread(target=self._server.serve_forever, name="smtp-sink", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def start(self) -> "SmtpSink":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "SmtpSink":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _log(self, line: bytes) -> None:
        with self._cond:
            self.transcript.append(line)

    def _record(self, msg: Received) -> None:
        with self._cond:
            self._messages.append(msg)
            self._cond.notify_all()

    @property
    def messages(self) -> list[Received]:
        with self._cond:
            return list(self._messages)

    def clear(self) -> None:
        with self._cond:
            self._messages.clear()
            self.transcript.clear()

    def wait_for(self, count: int = 1, timeout: float = 30.0, subject: str | None = None) -> list[Received]:
        """Wait until ``count`` messages (optionally with this exact subject) arrived; return them."""
        deadline = time.monotonic() + timeout

        def matching() -> list[Received]:
            return [m for m in self._messages if subject is None or m.subject == subject]

        with self._cond:
            while len(matching()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [m.subject for m in self._messages]
                    raise AssertionError(
                        f"SMTP sink: expected {count} message(s)"
                        f"{'' if subject is None else f' with subject {subject!r}'} within {timeout:.0f}s, "
                        f"got {len(matching())} (all subjects received: {got})")
                self._cond.wait(left)
            return matching()

    def assert_nothing(self, wait: float, subject: str | None = None) -> None:
        """Wait ``wait`` seconds and assert that no (matching) message arrived."""
        deadline = time.monotonic() + wait
        with self._cond:
            while True:
                bad = [m for m in self._messages if subject is None or m.subject == subject]
                if bad:
                    raise AssertionError(
                        f"SMTP sink: expected no message{'' if subject is None else f' with subject {subject!r}'}, "
                        f"but got {len(bad)}: To={bad[0].header('To')!r} RCPT={bad[0].rcpt_to[:5]}...")
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._cond.wait(left)
