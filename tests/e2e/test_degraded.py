"""Fail-safe: with a broken WASM core CcGuard still holds big sends (degraded warning), never silently.

Runs in its own Thunderbird with a copy of the XPI whose .wasm is corrupted.
"""
import contextlib
import zipfile

import pytest

from conftest import ARTIFACTS, ccguard_xpi, make_steps, stored_policy
from harness import a11y
from harness.mailbox import Mailbox
from harness.scenario import SENDER, SENDER_EMAIL, bare, customers, poll, unique_subject

WASM = "wasm/ccguard_wasm_bg.wasm"


@pytest.fixture(scope="module")
def degraded_tb(thunderbird_factory):
    src = ccguard_xpi()
    broken = ARTIFACTS / "degraded" / "ccguard-broken-wasm.xpi"
    broken.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as zout:
        assert WASM in zin.namelist(), f"{src} has no {WASM}"
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, b"\0asm-this-is-not-wasm" if item.filename == WASM else data)
    tb = thunderbird_factory.start("degraded", xpi=broken, mail=True)
    yield tb
    thunderbird_factory.stop(tb)


@pytest.fixture
def dsteps(degraded_tb, request):
    yield from make_steps(degraded_tb, request)


def test_degraded_warning_offers_send_anyway_and_back(dsteps):
    steps = dsteps
    subject = unique_subject("degraded")
    cc = customers(20, prefix="deg")
    tab = steps.compose(to=[SENDER_EMAIL], cc=cc, subject=subject)
    pending = steps.send(tab)
    warning = steps.wait_warning(timeout=30, mode="degraded")
    buttons = warning.eval("""return Object.fromEntries(['move-to-bcc', 'send-anyway', 'back-to-edit'].map(
        (id) => { const b = document.getElementById(id); return [id, !!b && !b.hidden && !b.disabled]; }));""")
    assert buttons == {"move-to-bcc": False, "send-anyway": True, "back-to-edit": True}, buttons
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    steps.sink.assert_nothing(wait=1.0, subject=subject)

    again = steps.send(tab)
    warning = steps.wait_warning(timeout=30, mode="degraded")
    warning.click("send-anyway")
    msg = steps.expect_sent(again, subject)
    assert len(msg.addresses("Cc")) == 20


def test_degraded_small_message_still_sends(dsteps):
    steps = dsteps
    subject = unique_subject("degraded-small")
    tab = steps.compose(to=["a@example.org", "b@example.org"], subject=subject)
    before = len(steps.popup_windows_created())
    steps.expect_sent(steps.send(tab), subject, timeout=30)
    assert steps.popup_windows_created()[before:] == []


def test_degraded_forward_counts_the_header_it_carries(dsteps, degraded_tb):
    """A colleague's mail to 12 customers forwarded to one agency: without the core the header still
    counts (13 people reach the agency), so the send is held, and the window says why."""
    steps = dsteps
    mailbox = Mailbox(degraded_tb.mail)
    subject = unique_subject("degraded-forward")
    header = mailbox.receive(author="Carl Colleague <carl@shop.example>", to=customers(12, prefix="deg-fwd"),
                             subject=subject)
    tab = mailbox.forward(header["id"], steps.driver, ["Buzz Agency <team@buzz-agency.example>"])
    pending = steps.send(tab)
    warning = steps.wait_warning(timeout=30, mode="degraded")
    note = warning.text("#context-note")
    assert "13" in note and "forwarded" in note, note
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    steps.sink.assert_nothing(wait=1.0, subject=f"Fwd: {subject}")


def test_degraded_warning_is_accessible(dsteps):
    """Focus starts on the safe choice (Back to editing, there is no Move to Bcc), the dialog is described
    by its reason, and axe-core finds no violation in light and dark (test_accessibility.py does the rest)."""
    steps = dsteps
    tb = steps.tb
    tab = steps.compose(to=[SENDER_EMAIL], cc=customers(20, prefix="deg-a11y"), subject=unique_subject("degraded-a11y"))
    pending = steps.send(tab)
    warning = steps.wait_warning(timeout=30, mode="degraded")
    view = warning.eval("""const d = document.getElementById('dialog');
        return {focused: document.activeElement && document.activeElement.id, role: d.getAttribute('role'),
                labelledBy: d.getAttribute('aria-labelledby'), describedBy: d.getAttribute('aria-describedby'),
                reason: document.getElementById('reason').textContent.trim()};""")
    assert view["focused"] == "back-to-edit", f"degraded: focus starts on {view['focused']!r}, not #back-to-edit"
    assert (view["role"], view["labelledBy"], view["describedBy"]) == ("alertdialog", "headline", "reason"), view
    assert view["reason"], view
    evaluate = lambda code, **kw: tb.page_eval(warning.bcid, code, **kw)  # noqa: E731
    failures = []
    try:
        for dark in (False, True):
            a11y.set_dark(tb, dark)
            a11y.wait_scheme(evaluate, dark)
            result = a11y.run_axe(evaluate)
            if result["violations"]:
                failures.append(a11y.describe("degraded warning window", result))
    finally:
        a11y.set_dark(tb, None)
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    assert not failures, "\n\n".join(failures)


def test_degraded_holds_seven_private_customers(dsteps):
    """The core would hold 7 private customers in Cc (privateThreshold 3): without the core, CcGuard
    holds them too (the smallest enabled threshold), and says it could not check the message."""
    steps = dsteps
    subject = unique_subject("degraded-seven")
    tab = steps.compose(to=[SENDER_EMAIL], cc=customers(7, prefix="deg7"), subject=subject)
    pending = steps.send(tab)
    warning = steps.wait_warning(timeout=30, mode="degraded")
    detail = warning.text("#degraded-detail") or ""
    assert "wasm-load" in detail, f"the window should say why: {detail!r}"
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    steps.sink.assert_nothing(wait=1.0, subject=subject)


def test_degraded_holds_a_list_pill_and_names_it(dsteps):
    """A 30-member address-book list is one pill at Send: without the core it could be anyone, so
    CcGuard holds it and names it."""
    steps = dsteps
    ref = steps.make_list("Parents 4B", customers(30, prefix="deg-list"))
    try:
        subject = unique_subject("degraded-list")
        tab = steps.compose(to=[SENDER_EMAIL], cc=[ref], subject=subject)
        pending = steps.send(tab)
        warning = steps.wait_warning(timeout=30, mode="degraded")
        assert "Parents 4B" in (warning.text() or ""), warning.text()
        warning.click("back-to-edit")
        steps.expect_rejected(pending)
    finally:
        steps.delete_address_books()


def test_degraded_lets_a_reply_to_one_customer_go_out(dsteps):
    steps = dsteps
    subject = unique_subject("degraded-reply")
    customer = "Carla Customer <carla.customer@gmail.com>"
    header = Mailbox(steps.tb.mail).receive(author=customer, to=[SENDER], subject=subject)
    tab = Mailbox(steps.tb.mail).reply_all(header["id"], steps.driver)
    before = len(steps.popup_windows_created())
    msg = steps.expect_sent(steps.send(tab), f"Re: {subject}", timeout=30)
    assert steps.popup_windows_created()[before:] == []
    assert bare(msg.addresses("To")) == bare([customer])


def test_degraded_hard_limit_counts_a_list_pill_as_its_members(dsteps, degraded_tb):
    """Under a hard limit, a list pill counts as the people in it even without the core: a 30-member
    list above a limit of 10 cannot be sent anyway; a 4-member list can."""
    steps = dsteps
    for size, refused in ((30, True), (4, False)):
        with contextlib.ExitStack() as stack:
            policy = next(stack.enter_context(contextlib.closing(stored_policy(degraded_tb))))
            policy.set({"hardLimit": 10})
            name = f"Team {size}"
            ref = steps.make_list(name, customers(size, prefix=f"deg-limit{size}"))
            stack.callback(steps.delete_address_books)
            subject = unique_subject(f"degraded-limit-{size}")
            tab = steps.compose(to=[SENDER_EMAIL], cc=[ref], subject=subject)
            pending = steps.send(tab)
            warning = steps.wait_warning(timeout=30, mode="degraded")
            assert name in (warning.text() or ""), warning.text()
            disabled = warning.eval("return document.getElementById('send-anyway').disabled;")
            assert disabled is refused, f"{size} members under a hard limit of 10: Send anyway disabled={disabled}"
            warning.click("back-to-edit")
            steps.expect_rejected(pending)
            steps.sink.assert_nothing(wait=0.5, subject=subject)


def test_degraded_options_page_says_so_and_saving_keeps_what_it_could_not_show(degraded_tb):
    """Without the core the options page shows the defaults for everything but the thresholds: it
    says so, and a save writes only what was changed on the page."""
    with contextlib.closing(stored_policy(degraded_tb)) as policies:
        policy = next(policies)
        policy.set({"internalDomains": ["corp.example"], "learnGroups": False})
        page = policy.page  # CcGuard's options page, loaded afresh with those settings stored
        page.reload()
        status = poll(lambda: page.snapshot()["status"], 10, what="the page's status")
        assert "could not be loaded" in status, status
        page.type("7")
        page.save()
        assert policy.get() == {"internalDomains": ["corp.example"], "learnGroups": False, "externalThreshold": 7}, (
            f"the save wrote {policy.get()!r}: settings the page could not show were overwritten")

