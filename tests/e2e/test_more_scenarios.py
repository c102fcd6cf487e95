"""Scenarios 6-8 and 10: recipients in To, hostile display names, two warnings at once, keyboard."""
import re

import pytest

from harness.scenario import SENDER, SENDER_EMAIL, bare, customers, unique_subject


def test_sixty_in_to_warns_and_moves_to_bcc(steps):
    subject = unique_subject("sixty-to")
    to = customers(60, prefix="member")
    tab = steps.compose(to=to, subject=subject)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    headline = warning.text("#headline")
    assert re.search(r"\b60\b", headline or ""), f"the warning headline does not say 60: {headline!r}"
    warning.click("move-to-bcc")
    msg = steps.expect_sent(pending, subject)
    assert msg.addresses("To") == [SENDER_EMAIL], msg.header("To")
    assert not msg.addresses("Cc")
    assert set(msg.envelope) == bare(to) | {SENDER_EMAIL}


HOSTILE_TEMPLATES = [
    "<img src=x onerror=alert(1)>",
    "<b>bold</b>",
    "</div><script>alert(1)</script>",
    "<svg onload=alert(1)>",
]


def test_hostile_display_names_are_shown_as_text(steps):
    subject = unique_subject("hostile")
    names = [HOSTILE_TEMPLATES[i % len(HOSTILE_TEMPLATES)] + f" #{i}" for i in range(1, 41)]
    to = [f'"{n}" <x{i}@evil.example>' for i, n in enumerate(names, start=1)]
    tab = steps.compose(to=to, subject=subject)
    pending = steps.send(tab)
    warning = steps.wait_warning()

    page = warning.eval("""
        const list = document.getElementById('recipients');
        return {
          text: list ? list.textContent : null,
          items: list ? list.children.length : 0,
          injected: list ? list.querySelectorAll('img,script,b,svg,div').length : -1,
          scripts: document.querySelectorAll('script').length,
          svgs: document.querySelectorAll('svg').length,
          onerror: document.querySelectorAll('[onerror],[onload]').length,
        };""")
    assert page["text"] is not None, "no #recipients list in the warning window"
    assert page["injected"] == 0, f"{page['injected']} elements were created from display names"
    assert page["onerror"] == 0, "an element with an onerror/onload handler exists in the warning page"
    assert page["scripts"] <= 1, f"unexpected <script> elements: {page['scripts']}"
    assert page["svgs"] == 0, "an <svg> element exists in the warning page"
    assert page["items"] == 40, f"expected 40 recipients listed, got {page['items']}"
    for literal in names[:4] + [names[-1], "x40@evil.example"]:
        assert literal in page["text"], f"{literal!r} is not shown literally in the recipient list"

    warning.click("send-anyway")
    msg = steps.expect_sent(pending, subject)
    assert set(msg.addresses("To")) == {f"x{i}@evil.example" for i in range(1, 41)}
    assert names[0] in msg.header("To") and names[2] in msg.header("To"), "display names were altered on the way"


def test_two_warnings_at_once_each_follows_its_own_answer(steps):
    subj_a, subj_b = unique_subject("parallel-a"), unique_subject("parallel-b")
    alpha = [f"a{i}@alpha.example" for i in range(1, 24)]
    beta = [f"b{i}@beta.example" for i in range(1, 38)]
    tab_a = steps.compose(to=[SENDER], cc=alpha, subject=subj_a)
    tab_b = steps.compose(to=beta, subject=subj_b)
    pending_a, pending_b = steps.send(tab_a), steps.send(tab_b)
    warnings = steps.wait_warnings(2)

    texts = {w.bcid: w.text() for w in warnings}
    wa = [w for w in warnings if "alpha.example" in texts[w.bcid]]
    wb = [w for w in warnings if "beta.example" in texts[w.bcid]]
    assert len(wa) == 1 and len(wb) == 1, f"cannot tell the two warnings apart: {texts}"
    wa, wb = wa[0], wb[0]
    assert re.search(r"\b23\b", wa.text("#headline")), wa.text("#headline")
    assert re.search(r"\b37\b", wb.text("#headline")), wb.text("#headline")

    # Answer the second one first.
    wb.click("send-anyway")
    msg_b = steps.expect_sent(pending_b, subj_b)
    assert wa.is_open() and not pending_a.done(), "answering one warning must not touch the other"
    wa.click("move-to-bcc")
    msg_a = steps.expect_sent(pending_a, subj_a)

    assert msg_b.addresses("To") == beta, "send anyway: To must be exactly as written"
    assert set(msg_b.envelope) == set(beta)
    assert msg_a.addresses("To") == [SENDER_EMAIL] and not msg_a.addresses("Cc")
    assert set(msg_a.envelope) == set(alpha) | {SENDER_EMAIL}
    assert len(steps.sink.messages) == 2


@pytest.mark.parametrize("key", ["Enter", "Escape"])
def test_keyboard(steps, key):
    subject = unique_subject(f"key-{key}")
    cc = customers(12, prefix="kb")
    tab = steps.compose(to=[SENDER], cc=cc, subject=subject)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    warning.key(key)
    warning.wait_closed()
    if key == "Enter":
        msg = steps.expect_sent(pending, subject)
        assert msg.addresses("To") == [SENDER_EMAIL] and not msg.addresses("Cc")
        assert set(msg.envelope) == bare(cc) | {SENDER_EMAIL}
    else:
        steps.expect_rejected(pending)
        steps.sink.assert_nothing(wait=2.0, subject=subject)
        details = steps.details(tab)
        assert bare(details["cc"]) == bare(cc) and details["subject"] == subject
