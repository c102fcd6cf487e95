"""Scenario 9: a decision taken after the MV3 background's idle timeout still works (keep-alive).

Runs in its own Thunderbird with extensions.background.idle.timeout = 2000 ms.
"""
import time

import pytest

from conftest import make_steps
from harness.scenario import SENDER, SENDER_EMAIL, bare, customers, unique_subject

IDLE_MS = 2000


@pytest.fixture(scope="module")
def idle_tb(thunderbird_factory):
    tb = thunderbird_factory.start("idle-timeout", {"extensions.background.idle.timeout": IDLE_MS})
    yield tb
    thunderbird_factory.stop(tb)


@pytest.fixture
def idle_steps(idle_tb, request):
    yield from make_steps(idle_tb, request)


def test_decision_after_idle_timeout_still_sends(idle_steps):
    steps = idle_steps
    subject = unique_subject("idle")
    cc = customers(25, prefix="idle")
    tab = steps.compose(to=[SENDER], cc=cc, subject=subject)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    time.sleep(4 * IDLE_MS / 1000)  # the point of the test: stay idle for 4 idle timeouts
    assert warning.state() == "ready", f"warning window is {warning.state()!r} after waiting (background lost the decision?)"
    assert not pending.done(), f"the send settled on its own while waiting: {pending.outcome(0)}"
    warning.click("move-to-bcc")
    msg = steps.expect_sent(pending, subject)
    assert msg.addresses("To") == [SENDER_EMAIL] and not msg.addresses("Cc")
    assert set(msg.envelope) == bare(cc) | {SENDER_EMAIL}
