"""Received mail for the e2e suite: raw messages imported into a Local Folders folder through the
mail helper (harness/mail_ext/, ``Thunderbird(mail=True)``), and replies opened to them the way the
Reply All button does (docs/thunderbird-context.md)."""
from __future__ import annotations

import time
import uuid
from email.utils import formatdate

from .driver import DriverServer


def raw_message(*, author: str, to: list[str], cc: list[str] = (), subject: str,
                body: str = "Hello.", reply_to: str | None = None) -> str:
    """An RFC 5322 message as a mail client would have delivered it."""
    headers = [
        f"From: {author}",
        f"To: {', '.join(to)}",
        *([f"Cc: {', '.join(cc)}"] if cc else []),
        *([f"Reply-To: {reply_to}"] if reply_to else []),
        f"Subject: {subject}",
        f"Date: {formatdate(localtime=True)}",
        f"Message-ID: <{uuid.uuid4().hex}@received.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
    ]
    return "\r\n".join(headers) + "\r\n\r\n" + body + "\r\n"


class Mailbox:
    """One Local Folders folder of received messages."""

    def __init__(self, mail: DriverServer, folder_name: str = "Received"):
        self.mail = mail
        self.folder = mail.call("localFolder", folderName=folder_name, timeout=30)

    def receive(self, *, new: bool = False, **message) -> dict:
        """Imports one message (``raw_message`` arguments); ``new`` marks it new, which is what
        fires ``messages.onNewMailReceived``. Returns its MessageHeader."""
        properties = {"new": True} if new else {}
        answer = self.mail.call("importMessages", folderId=self.folder["id"], raws=[raw_message(**message)],
                                properties=properties, timeout=30)
        return answer["headers"][0]

    def _api(self, path: str, *args):
        out = self.mail.call("api", path=path, args=list(args), timeout=60)
        assert out["ok"], f"messenger.{path} failed: {out.get('error')}"
        return out["value"]

    def reply_all(self, message_id: int, driver: DriverServer, timeout: float = 15.0) -> int:
        """Opens Reply All to a received message and waits until Thunderbird has filled the
        recipients in; returns the compose tab's id."""
        tab = self._api("compose.beginReply", message_id, "replyToAll")
        return _ready(driver, tab["id"], "reply", timeout)

    def forward(self, message_id: int, driver: DriverServer, to: list[str], how: str = "forwardInline",
                timeout: float = 15.0) -> int:
        """Opens a forward (``forwardInline`` or ``forwardAsAttachment``) of a received message to
        ``to``, as the Forward button does, and waits until Thunderbird has set it up; returns the
        compose tab's id."""
        tab = self._api("compose.beginForward", message_id, how, {"to": to})
        return _ready(driver, tab["id"], "forward", timeout)


def _ready(driver: DriverServer, tab_id: int, compose_type: str, timeout: float) -> int:
    """Waits until compose tab ``tab_id`` is of ``compose_type`` with its recipients filled in."""
    deadline = time.monotonic() + timeout
    while True:
        details = driver.call("getComposeDetails", tabId=tab_id)
        if details.get("to") and details.get("type") == compose_type:
            return tab_id
        if time.monotonic() > deadline:
            raise AssertionError(f"the {compose_type}'s recipients never appeared: {details}")
        time.sleep(0.2)
