"""A minimal Marionette client (length-prefixed JSON over TCP).

Wire format: ``<len>:<json>``. Commands are ``[0, id, name, params]``, answers ``[1, id, error, value]``.
"""
from __future__ import annotations

import base64
import json
import socket
import time


class MarionetteError(Exception):
    def __init__(self, command: str, error: dict):
        self.error = error
        super().__init__(f"{command}: {error.get('error')}: {error.get('message')}\n{error.get('stacktrace', '')[:2000]}")


class Marionette:
    def __init__(self, host: str, port: int, connect_timeout: float = 60.0, proc=None):
        deadline = time.monotonic() + connect_timeout
        last = None
        while True:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"Thunderbird exited with code {proc.returncode} before Marionette answered")
            try:
                self.sock = socket.create_connection((host, port), timeout=5)
                self.sock.settimeout(None)
                self._buf = b""
                self.hello = self._read()
                break
            except (OSError, ValueError) as e:  # not listening yet / closed during start-up
                last = e
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Marionette on {host}:{port} not reachable in {connect_timeout}s: {last}")
                time.sleep(0.25)
        self._id = 0
        self.timeout = 120.0

    # -- wire -----------------------------------------------------------------------------
    def _read(self):
        while b":" not in self._buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ValueError("Marionette connection closed")
            self._buf += chunk
        head, rest = self._buf.split(b":", 1)
        length = int(head)
        while len(rest) < length:
            chunk = self.sock.recv(max(65536, length - len(rest)))
            if not chunk:
                raise ValueError("Marionette connection closed")
            rest += chunk
        self._buf = rest[length:]
        return json.loads(rest[:length])

    def send(self, name: str, params: dict | None = None, timeout: float | None = None):
        self._id += 1
        mid = self._id
        data = json.dumps([0, mid, name, params or {}]).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        self.sock.settimeout(timeout or self.timeout)
        try:
            while True:
                msg = self._read()
                if isinstance(msg, list) and len(msg) == 4 and msg[0] == 1 and msg[1] == mid:
                    break
        finally:
            self.sock.settimeout(None)
        _, _, error, value = msg
        if error:
            raise MarionetteError(name, error)
        return value

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    # -- helpers --------------------------------------------------------------------------
    def start_session(self, capabilities: dict | None = None):
        return self.send("WebDriver:NewSession", {"capabilities": capabilities or {}})

    def set_context(self, context: str) -> None:
        self.send("Marionette:SetContext", {"value": context})

    def set_script_timeout(self, ms: int) -> None:
        self.send("WebDriver:SetTimeouts", {"script": ms})

    def execute(self, script: str, args: list | None = None, timeout: float | None = None):
        """Run synchronous JS in the current context; ``return`` gives the value."""
        value = self.send("WebDriver:ExecuteScript",
                          {"script": script, "args": args or [], "newSandbox": False, "sandbox": "ccguard"},
                          timeout=timeout)
        return value.get("value") if isinstance(value, dict) else value

    def execute_async(self, script: str, args: list | None = None, timeout: float = 60.0):
        """Run JS whose last argument is a ``resolve`` callback."""
        self.set_script_timeout(int(timeout * 1000))
        value = self.send("WebDriver:ExecuteAsyncScript",
                          {"script": script, "args": args or [], "newSandbox": False, "sandbox": "ccguard"},
                          timeout=timeout + 15)
        return value.get("value") if isinstance(value, dict) else value

    def window_handles(self) -> list[str]:
        return self.send("WebDriver:GetWindowHandles")

    def switch_to_window(self, handle: str) -> None:
        self.send("WebDriver:SwitchToWindow", {"handle": handle, "focus": False})

    def title(self) -> str:
        v = self.send("WebDriver:GetTitle")
        return v.get("value") if isinstance(v, dict) else v

    def screenshot_png(self) -> bytes:
        v = self.send("WebDriver:TakeScreenshot", {"full": False, "hash": False})
        v = v.get("value") if isinstance(v, dict) else v
        return base64.b64decode(v)

    def close_window(self):
        """Close the current window (content context)."""
        return self.send("WebDriver:CloseWindow")

    def close_chrome_window(self):
        """Close the current chrome window (chrome context)."""
        return self.send("WebDriver:CloseChromeWindow")
