"""Scenarios 2-5: 475 customers in Cc; each answer of the warning window does what it says."""
import re

import pytest

from harness.scenario import SENDER, SENDER_EMAIL, bare, customers, poll, unique_subject

CUSTOMERS = customers(475)
CUSTOMER_ADDRS = bare(CUSTOMERS)
BODY = "Dear customers,\n\nour shop is closed on Monday.\n\nAnn"


def _header_block(msg) -> bytes:
    return msg.data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]


def _open_475_warning(steps, label, sender_in_to=True):
    subject = unique_subject(label)
    tab = steps.compose(to=[SENDER] if sender_in_to else [], cc=CUSTOMERS, subject=subject, body=BODY)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    headline = warning.text("#headline")
    assert re.search(r"\b475\b", headline or ""), f"the warning headline does not say 475: {headline!r}"
    return subject, tab, pending, warning


@pytest.mark.parametrize("sender_in_to", [True, False], ids=["sender-in-to", "to-empty"])
def test_move_to_bcc_hides_every_customer(steps, screenshot_path, sender_in_to):
    subject, tab, pending, warning = _open_475_warning(steps, "move-to-bcc", sender_in_to)

    if sender_in_to:  # the documentation screenshot: the real window, 475 customers in Cc
        png = warning.tb.screenshot(warning.bcid)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000, f"suspicious screenshot ({len(png)} bytes)"
        screenshot_path.write_bytes(png)

    warning.click("move-to-bcc")
    msg = steps.expect_sent(pending, subject)
    warning.wait_closed()

    assert msg.addresses("To") == [SENDER_EMAIL], f"To should be the sender only, got {msg.header('To')!r}"
    assert not msg.addresses("Cc"), f"no Cc expected, got {msg.header('Cc')[:200]!r}"
    assert msg.header("Bcc") is None, "a Bcc header must never be transmitted"
    headers = _header_block(msg).lower()
    leaked = [a for a in CUSTOMER_ADDRS if a.encode() in headers]
    assert not leaked, f"{len(leaked)} customer addresses still in the headers, e.g. {leaked[:3]}"
    assert set(msg.envelope) == CUSTOMER_ADDRS | {SENDER_EMAIL}, (
        f"envelope: missing {sorted(CUSTOMER_ADDRS - set(msg.envelope))[:5]}, "
        f"extra {sorted(set(msg.envelope) - CUSTOMER_ADDRS - {SENDER_EMAIL})[:5]}")
    assert len(msg.envelope) == 476, f"duplicates in RCPT TO: {len(msg.envelope)}"
    assert BODY.splitlines()[2] in msg.body_text()


def test_send_anyway_sends_as_written(steps):
    subject, tab, pending, warning = _open_475_warning(steps, "send-anyway", sender_in_to=False)
    warning.click("send-anyway")
    msg = steps.expect_sent(pending, subject)
    warning.wait_closed()

    cc = msg.addresses("Cc")
    assert len(cc) == 475 and set(cc) == CUSTOMER_ADDRS, f"Cc holds {len(cc)} addresses, expected the 475 customers"
    assert cc == [a.lower() for a in (bare([c]).pop() for c in CUSTOMERS)], "Cc order differs from what was typed"
    assert "Customer 7 <customer7@" in msg.header("Cc"), "display names typed in Cc were lost"
    assert not msg.addresses("To")
    assert set(msg.envelope) == CUSTOMER_ADDRS


def _assert_back_to_editing(steps, subject, tab, pending, resend: bool):
    error = steps.expect_rejected(pending)
    assert "abort" in error.lower() or "cancel" in error.lower(), f"unexpected rejection: {error!r}"
    steps.sink.assert_nothing(wait=3.0, subject=subject)
    details = steps.details(tab)
    assert bare(details["cc"]) == CUSTOMER_ADDRS, f"compose window lost Cc recipients: {len(details['cc'])} left"
    assert len(details["cc"]) == 475
    assert bare(details["to"]) == {SENDER_EMAIL}
    assert details["subject"] == subject
    body = (details.get("plainTextBody") or details.get("body") or "").replace("\r\n", "\n")
    assert "our shop is closed on Monday." in body, f"compose body changed: {body[:200]!r}"
    if not resend:
        return
    # The compose window must be usable again: a second Send is held again, and can go out.
    again = steps.send(tab)
    warning = steps.wait_warning()
    warning.click("send-anyway")
    msg = steps.expect_sent(again, subject)
    assert set(msg.addresses("Cc")) == CUSTOMER_ADDRS


def test_back_to_edit_keeps_everything(steps):
    subject, tab, pending, warning = _open_475_warning(steps, "back-to-edit")
    warning.click("back-to-edit")
    warning.wait_closed()
    _assert_back_to_editing(steps, subject, tab, pending, resend=False)
    steps.close_tab(tab)


@pytest.mark.parametrize("how", ["webdriver-close", "window-close"])
def test_closing_the_window_is_back_to_edit(steps, how):
    subject, tab, pending, warning = _open_475_warning(steps, f"closed-{how}")
    if how == "webdriver-close":
        steps.tb.close_window_webdriver(warning.bcid)
    else:
        # Deferred, so that the frame script's answer leaves before the page goes away.
        warning.eval("window.setTimeout(() => window.close(), 100); return true;")
    warning.wait_closed()
    _assert_back_to_editing(steps, subject, tab, pending, resend=True)


def test_warning_layout_has_no_overlap(steps):
    """The sections of the warning window (475 customers, 5 domains) are stacked without overlapping."""
    subject, tab, pending, warning = _open_475_warning(steps, "layout")
    layout = warning.eval("""
        const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
        const blocks = [...document.querySelectorAll('main > *')]
          .filter((el) => !el.hidden && el.getClientRects().length)
          .map((el) => ({id: el.id || el.className || el.tagName, ...box(el)}));
        const section = document.getElementById('domains-section');
        const chips = [...document.querySelectorAll('#domains li')].map((li) => ({text: li.textContent, ...box(li)}));
        return {blocks, chips, section: box(section), height: window.innerHeight};""")
    overlaps = [f"{a['id']} (bottom {a['bottom']:.0f}) overlaps {b['id']} (top {b['top']:.0f})"
                for a, b in zip(layout["blocks"], layout["blocks"][1:]) if a["bottom"] > b["top"] + 0.5]
    outside = [f"domain chip {c['text']!r} (bottom {c['bottom']:.0f}) spills out of #domains-section "
               f"(bottom {layout['section']['bottom']:.0f})"
               for c in layout["chips"] if c["bottom"] > layout["section"]["bottom"] + 0.5]
    below = [f"{b['id']} ends at {b['bottom']:.0f} below the window ({layout['height']})"
             for b in layout["blocks"] if b["bottom"] > layout["height"] + 0.5]
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    assert not (overlaps or outside or below), "warning window layout is broken:\n" + "\n".join(overlaps + outside + below)
