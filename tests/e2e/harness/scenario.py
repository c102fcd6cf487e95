"""High-level steps shared by the scenarios: compose, send, find and operate the warning window."""
from __future__ import annotations

import json
import time
import uuid

from .address_book import AddressBook, MailingList
from .driver import Pending
from .profile import SENDER, SENDER_EMAIL
from .thunderbird import Thunderbird


def click_button(evaluate, button_id: str) -> None:
    """Clicks ``#button_id`` in a page through ``evaluate(js)``, as a user would: only if it is
    enabled and visible, and fails saying which it was not."""
    info = evaluate(
        f"const b = document.getElementById({json.dumps(button_id)});"
        "if (!b) return {missing: true};"
        "const r = {disabled: b.disabled, hidden: b.hidden};"
        "if (!b.disabled && !b.hidden) b.click();"
        "return r;")
    assert info == {"disabled": False, "hidden": False}, f"button #{button_id} not clickable: {info}"

WARNING_TITLE = "CcGuard – check recipients"
# Consumer mailbox domains: customers are private individuals, the incident class.
CUSTOMER_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "web.de", "orange.fr"]


def customers(n: int, domains=CUSTOMER_DOMAINS, prefix: str = "customer") -> list[str]:
    """``n`` distinct addresses spread over a handful of domains; every 7th gets a display name."""
    out = []
    for i in range(1, n + 1):
        addr = f"{prefix}{i}@{domains[i % len(domains)]}"
        out.append(f"Customer {i} <{addr}>" if i % 7 == 0 else addr)
    return out


def bare(addresses: list[str]) -> set[str]:
    """Lower-cased bare e-mail addresses of ``"Name <a@b>"`` / ``a@b`` strings."""
    import email.utils
    return {a.lower() for _, a in email.utils.getaddresses(addresses) if a}


def unique_subject(label: str) -> str:
    return f"ccguard-e2e {label} {uuid.uuid4().hex[:8]}"


def poll(fn, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Call ``fn`` until it returns something truthy; return that, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = fn()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")
        time.sleep(interval)


class Warning:
    """One open CcGuard warning window, operated through a frame script in its page."""

    def __init__(self, tb: Thunderbird, popup: dict):
        self.tb, self.bcid, self.url = tb, popup["bcid"], popup["url"]

    def __repr__(self) -> str:
        return f"<Warning {self.bcid} {self.url}>"

    def eval(self, code: str, timeout: float = 10.0):
        return self.tb.page_eval(self.bcid, code, timeout)

    def state(self) -> str | None:
        """``document.body.dataset.state``; None while the page cannot be reached yet."""
        try:
            return self.eval("return document.body && document.body.dataset.state;", timeout=3)
        except AssertionError:
            return None

    def wait_state(self, want: str = "ready", timeout: float = 20.0) -> None:
        poll(lambda: self.state() == want, timeout, what=f"warning window {self.bcid} state {want!r}")

    def text(self, selector: str | None = None) -> str:
        sel = json.dumps(selector)
        return self.eval(f"const el = {sel} ? document.querySelector({sel}) : document.body;"
                         "return el ? el.textContent : null;")

    def click(self, button_id: str) -> None:
        assert button_id in ("move-to-bcc", "move-external-to-bcc", "send-anyway", "remember-group",
                             "send-separately", "back-to-edit"), button_id
        click_button(self.eval, button_id)

    def answer_role(self, role: str) -> None:
        """Answers "What do you use this address for?" (the window's question mode)."""
        assert role in ("personal", "organisation", "sensitive"), role
        click_button(self.eval, f"role-{role}")

    def mode(self) -> str | None:
        return self.eval("return document.body.dataset.mode;")

    def key(self, key: str) -> None:
        """A keydown on the page body (not on a button), as when the user presses ``key``."""
        self.eval(
            "const target = document.body;"
            f"const ev = new window.KeyboardEvent('keydown', {{key: {json.dumps(key)}, bubbles: true, cancelable: true}});"
            "target.dispatchEvent(ev); return true;")

    def is_open(self) -> bool:
        return any(p["bcid"] == self.bcid for p in self.tb.popups())

    def wait_closed(self, timeout: float = 15.0) -> None:
        poll(lambda: not self.is_open(), timeout, what=f"warning window {self.bcid} to close")


class Steps:
    """The test's view of one Thunderbird: composing, sending, warnings, the sink."""

    def __init__(self, tb: Thunderbird):
        self.tb = tb
        self.sink = tb.sink
        self.driver = tb.driver
        self._book: AddressBook | None = None

    # -- composing and sending -------------------------------------------------------------
    def compose(self, *, to=(), cc=(), bcc=(), subject: str, body: str = "Hello from the CcGuard e2e suite.",
                identity: str | None = None, html: str | None = None) -> int:
        """A new compose window; ``identity`` is an identityId (``profile.THERAPIST_IDENTITY``);
        ``html``, when given, is an HTML body instead of the plain-text ``body``."""
        details = {"to": list(to), "cc": list(cc), "bcc": list(bcc), "subject": subject}
        if html is None:
            details.update(plainTextBody=body, isPlainText=True)
        else:
            details.update(body=html, isPlainText=False)
        if identity is not None:
            details["identityId"] = identity
        return self.driver.call("beginNew", timeout=60, details=details)["tabId"]

    def send(self, tab_id: int) -> Pending:
        return self.driver.submit("sendMessage", tabId=tab_id, options={"mode": "sendNow"})

    def details(self, tab_id: int) -> dict:
        return self.driver.call("getComposeDetails", tabId=tab_id)

    def close_tab(self, tab_id: int) -> None:
        """Close a compose tab (its window) and wait until it is really gone (no "save?" prompt held it)."""
        self.driver.call("closeTab", tabId=tab_id)

        def gone():
            return not any(t["id"] == tab_id for w in self.driver.call("windows") for t in w["tabs"])

        poll(gone, 10, what=f"compose tab {tab_id} to close")

    def popup_windows_created(self) -> list[dict]:
        return [w for w in self.driver.call("windowEvents")["created"] if w["type"] == "popup"]

    # -- address books and mailing lists -----------------------------------------------------
    def address_book(self) -> AddressBook:
        """This test's own address book, made on first use; ``delete_address_books()`` removes it."""
        if self._book is None:
            self._book = AddressBook(self.driver, self.list_pill)
        return self._book

    def make_list(self, name: str, members: list[str], description: str | None = None) -> str:
        """Makes a mailing list (in this test's address book) and returns its ``ref``: the pill string
        compose.onBeforeSend gets for it, which ``compose(cc=[ref])`` also accepts. A member may be
        an address or the ref of a list made before (a list inside a list)."""
        return self.address_book().make_list(name, members, description).ref

    def mailing_list(self, ref: str) -> MailingList:
        """The list made by ``make_list`` for ``ref`` (id, name, every address it expands to)."""
        return self.address_book().lists[ref]

    def list_pill(self, list_id: str) -> str:
        """The pill Thunderbird itself makes for a list: compose with ``{"id", "type": "mailingList"}``
        in Cc, read the field back, close the window."""
        tab = self.driver.call("beginNew", timeout=60, details={
            "cc": [{"id": list_id, "type": "mailingList"}], "subject": unique_subject("pill"),
            "plainTextBody": "", "isPlainText": True})["tabId"]
        try:
            cc = self.details(tab)["cc"]
        finally:
            self.close_tab(tab)
        assert isinstance(cc, list) and len(cc) == 1, f"list {list_id} did not become one pill: {cc!r}"
        return cc[0]

    def delete_address_books(self) -> None:
        if self._book is not None:
            book, self._book = self._book, None
            book.delete()

    # -- warning windows -------------------------------------------------------------------
    def warning_popups(self) -> list[dict]:
        return [p for p in self.tb.popups()
                if WARNING_TITLE in (p["title"] or "") or "/warning/" in (p["url"] or "")]

    def wait_warnings(self, count: int = 1, timeout: float = 30.0, exclude=(), mode: str | None = "normal") -> list[Warning]:
        """Wait until ``count`` new warning windows are open and rendered (state "ready").

        ``mode`` (``document.body.dataset.mode``) is checked too: "degraded" means the WASM core did not load.
        """
        excluded = {w.bcid if isinstance(w, Warning) else w for w in exclude}

        def found():
            ps = [p for p in self.warning_popups() if p["bcid"] not in excluded]
            return ps if len(ps) >= count else None

        popups = poll(found, timeout, what=f"{count} CcGuard warning window(s)")
        warnings = [Warning(self.tb, p) for p in popups]
        for w in warnings:
            w.wait_state("ready", timeout)
            if mode is not None:
                got = w.eval("return document.body.dataset.mode;")
                assert got == mode, (f"warning window is in {got!r} mode, expected {mode!r}"
                                     f"{' (the WASM core failed to load?)' if got == 'degraded' else ''}: "
                                     f"{(w.text('#headline') or '')!r} / {(w.text('#reason') or '')[:200]!r}")

        def titles_ok():
            titles = {p["bcid"]: p["title"] or "" for p in self.tb.popups()}
            return all(WARNING_TITLE in titles.get(w.bcid, "") for w in warnings) and titles

        try:
            poll(titles_ok, 10, what="the warning window title")
        except AssertionError:
            titles = {p["bcid"]: p["title"] for p in self.tb.popups()}
            raise AssertionError(f"warning window titles {titles} do not carry {WARNING_TITLE!r}") from None
        return warnings

    def wait_warning(self, timeout: float = 30.0, mode: str | None = "normal") -> Warning:
        return self.wait_warnings(1, timeout, mode=mode)[0]

    # -- outcomes ---------------------------------------------------------------------------
    @staticmethod
    def _outcome(pending: Pending, timeout: float) -> dict:
        try:
            return pending.outcome(timeout)
        except TimeoutError:
            raise AssertionError(
                f"compose.sendMessage neither resolved nor rejected within {timeout:.0f}s: the send is still "
                "held (compose window locked; was the decision lost?)") from None

    def expect_rejected(self, pending: Pending, timeout: float = 20.0) -> str:
        out = self._outcome(pending, timeout)
        assert not out["ok"], f"sendMessage should have been rejected, but resolved with {out.get('value')!r}"
        return out["error"]

    def expect_sent(self, pending: Pending, subject: str, timeout: float = 30.0):
        out = self._outcome(pending, timeout)
        assert out["ok"], f"sendMessage rejected: {out.get('error')!r}"
        msgs = self.sink.wait_for(1, timeout=timeout, subject=subject)
        assert len(msgs) == 1, f"expected exactly one message with subject {subject!r}, got {len(msgs)}"
        return msgs[0]


__all__ = ["SENDER", "SENDER_EMAIL", "WARNING_TITLE", "MailingList", "Steps", "Warning", "customers", "bare",
           "unique_subject", "poll"]
