"""The test side of the driver extension: a loopback HTTP command queue, and the driver XPI builder."""
from __future__ import annotations

import itertools
import json
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DRIVER_ID = "ccguard-e2e-driver@tests.invalid"
DRIVER_DIR = Path(__file__).parent / "driver_ext"
PROBE_ID = "ccguard-e2e-probe@tests.invalid"
PROBE_DIR = Path(__file__).parent / "probe_ext"
MAIL_ID = "ccguard-e2e-mail@tests.invalid"
MAIL_DIR = Path(__file__).parent / "mail_ext"
COMMAND_LOOP = Path(__file__).parent / "command_loop.js"
EXTENSION_DIR = Path(__file__).resolve().parents[3] / "extension"
LONG_POLL = 10.0


def build_driver_xpi(port: int, out: Path) -> Path:
    """Zip driver_ext/ plus a generated config.js holding the command port."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("manifest.json", "background.js"):
            z.write(DRIVER_DIR / name, name)
        z.write(COMMAND_LOOP, COMMAND_LOOP.name)
        z.writestr("config.js", f"globalThis.E2E_CONFIG = {json.dumps({'port': port})};\n")
    return out


def build_probe_xpi(port: int, out: Path) -> Path:
    """The MV3 probe: probe_ext/ plus CcGuard's own extension/lists.js and identities.js (as the
    source tree has them, with util.js, which both import) and a generated config.js holding the
    command port."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("manifest.json", "probe.js"):
            z.write(PROBE_DIR / name, name)
        z.write(COMMAND_LOOP, COMMAND_LOOP.name)
        for name in ("lists.js", "identities.js", "util.js"):
            z.write(EXTENSION_DIR / name, name)
        z.writestr("config.js", f"globalThis.E2E_CONFIG = {json.dumps({'port': port})};\n")
    return out


def build_mail_xpi(port: int, out: Path) -> Path:
    """The MV3 mail helper: mail_ext/ plus command_loop.js and a generated config.js."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("manifest.json", "mail.js", "request.html", "request.js"):
            z.write(MAIL_DIR / name, name)
        z.write(COMMAND_LOOP, COMMAND_LOOP.name)
        z.writestr("config.js", f"globalThis.E2E_CONFIG = {json.dumps({'port': port})};\n")
    return out


class DriverError(AssertionError):
    pass


class Pending:
    """A command sent to the driver whose result may come later (e.g. sendMessage held by a warning)."""

    def __init__(self, server: "DriverServer", cid: int, name: str):
        self._server, self.id, self.name = server, cid, name

    def done(self) -> bool:
        with self._server._cond:
            return self.id in self._server._results

    def outcome(self, timeout: float = 30.0) -> dict:
        """``{"ok": bool, "value"|"error": ...}``, waiting at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._server._cond:
            while self.id not in self._server._results:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"driver command {self.name} (#{self.id}) gave no result within {timeout:.0f}s")
                self._server._cond.wait(left)
            return self._server._results[self.id]

    def result(self, timeout: float = 30.0):
        out = self.outcome(timeout)
        if not out["ok"]:
            raise DriverError(f"driver command {self.name} failed: {out['error']}")
        return out["value"]


class DriverServer:
    def __init__(self):
        self._cond = threading.Condition()
        self._queue: list[dict] = []
        self._results: dict[int, dict] = {}
        self._ids = itertools.count(1)
        self.last_poll = 0.0
        # Events the extension pushes on its own (POST /event), e.g. from a listener of an event
        # page that Thunderbird woke up: [{"at": monotonic seconds, **body}].
        self._events: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):  # quiet
                pass

            def _send(self, body: bytes, code: int = 200):
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # Thunderbird quit (or an event page stopped) during a long-poll

            def do_GET(self):
                if self.path.startswith("/next"):
                    self._send(json.dumps(server._take(LONG_POLL)).encode())
                else:
                    self._send(b"{}", 404)

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(n) or b"{}")
                if self.path.startswith("/result"):
                    with server._cond:
                        server._results[int(body["id"])] = body
                        server._cond.notify_all()
                    self._send(b"{}")
                elif self.path.startswith("/event"):
                    with server._cond:
                        server._events.append(dict(body, at=time.monotonic()))
                        server._cond.notify_all()
                    self._send(b"{}")
                else:
                    self._send(b"{}", 404)

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, name="driver-http", daemon=True)

    @property
    def port(self) -> int:
        return self._http.server_address[1]

    def start(self) -> "DriverServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():  # shutdown() would wait forever for a loop that never ran
            self._http.shutdown()
        self._http.server_close()

    def _take(self, wait: float) -> list[dict]:
        deadline = time.monotonic() + wait
        with self._cond:
            self.last_poll = time.monotonic()
            self._cond.notify_all()
            while not self._queue:
                left = deadline - time.monotonic()
                if left <= 0:
                    return []
                self._cond.wait(left)
            out, self._queue = self._queue, []
            return out

    def wait_connected(self, timeout: float, proc=None) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self.last_poll:
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"Thunderbird exited ({proc.returncode}) before the driver extension connected")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"driver extension did not poll within {timeout:.0f}s")
                self._cond.wait(min(left, 0.5))

    @property
    def events(self) -> list[dict]:
        with self._cond:
            return list(self._events)

    def wait_event(self, kind: str, count: int = 1, timeout: float = 30.0) -> list[dict]:
        """Wait until ``count`` pushed events of this ``kind`` arrived; return all of that kind."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [e for e in self._events if e.get("kind") == kind]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(got)} of {count} {kind!r} event(s) within {timeout:.0f}s; "
                                       f"kinds seen: {sorted({e.get('kind') for e in self._events})}")
                self._cond.wait(left)

    def submit(self, name: str, **args) -> Pending:
        cid = next(self._ids)
        with self._cond:
            self._queue.append({"id": cid, "name": name, "args": args})
            self._cond.notify_all()
        return Pending(self, cid, name)

    def call(self, name: str, timeout: float = 30.0, **args):
        return self.submit(name, **args).result(timeout)
