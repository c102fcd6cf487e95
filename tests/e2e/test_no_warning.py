"""Scenario 1: few recipients go out untouched, without any warning window."""
from harness.scenario import SENDER_EMAIL, unique_subject


def test_three_recipients_send_without_warning(steps):
    subject = unique_subject("three")
    to = ["Bob <bob@example.org>", "carol@example.net", "dave@example.com"]
    tab = steps.compose(to=to, subject=subject)
    before = len(steps.popup_windows_created())
    msg = steps.expect_sent(steps.send(tab), subject)

    assert msg.addresses("To") == ["bob@example.org", "carol@example.net", "dave@example.com"], msg.header("To")
    assert msg.header("Cc") is None
    assert sorted(msg.envelope) == sorted(["bob@example.org", "carol@example.net", "dave@example.com"])
    assert msg.mail_from.lower() == SENDER_EMAIL
    created = steps.popup_windows_created()[before:]
    assert created == [], f"a popup window appeared for a 3-recipient message: {created}"
    assert steps.warning_popups() == []


def _send_expecting_no_warning(steps, label, **fields):
    subject = unique_subject(label)
    tab = steps.compose(subject=subject, **fields)
    before = len(steps.popup_windows_created())
    msg = steps.expect_sent(steps.send(tab), subject)
    created = steps.popup_windows_created()[before:]
    assert created == [], f"a popup window appeared although the message is under the threshold: {created}"
    return msg


def test_nine_visible_recipients_is_under_the_default_threshold(steps):
    to = [f"p{i}@example.org" for i in range(1, 10)]
    msg = _send_expecting_no_warning(steps, "nine", to=to)
    assert msg.addresses("To") == to


def test_sender_and_duplicates_do_not_count(steps):
    # 11 entries, but only 9 distinct visible people: the sender and a case-variant duplicate don't count.
    to = [SENDER_EMAIL.upper(), "p1@example.org"] + [f"p{i}@example.org" for i in range(2, 9)]
    cc = ["P1@EXAMPLE.ORG", "p9@example.org"]
    msg = _send_expecting_no_warning(steps, "dupes", to=to, cc=cc)
    assert "p9@example.org" in msg.addresses("Cc")


def test_bcc_does_not_count(steps):
    bcc = [f"hidden{i}@example.org" for i in range(1, 200)]
    msg = _send_expecting_no_warning(steps, "bcc-only", to=[SENDER_EMAIL], bcc=bcc)
    assert set(msg.envelope) >= {b.lower() for b in bcc}


def test_ten_visible_recipients_warn(steps):
    subject = unique_subject("ten")
    tab = steps.compose(to=[f"p{i}@example.org" for i in range(1, 11)], subject=subject)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    assert "10" in (warning.text("#headline") or "")
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
