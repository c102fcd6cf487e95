"""Managed settings, end to end: a real Thunderbird started with a real policies.json.

Thunderbird reads its enterprise policies from distribution/policies.json in the directory of its
real binary. Each instance of this file runs from a hard-linked copy of the installation with a
policies.json of its own (harness/installation.py): the system Thunderbird and build/thunderbird-140,
which other suites use at the same time, are never touched, and the copy is checked afterwards to be
unchanged. Two Thunderbird starts for the whole file; each message is chosen so that its outcome
depends on one key only.

TestAdminSettings: CcGuard side-loaded as usual. The admin sets {"externalThreshold": 3, "locked":
["hardLimit"]}; the user stored {"externalThreshold": 50, "hardLimit": 1}.
  a) 3 people of one partner company are held (the admin's 3 wins over the user's 50); 2 go out with no
     window (the user's hardLimit 1 is locked away: hardLimit stays at its default, off);
  b) the options page shows the field disabled, "Set by your organisation", the other settings editable; neither a
     forced submit of the page nor writing storage.local from the page changes what is enforced.

TestForceInstalled: CcGuard NOT side-loaded; ExtensionSettings force-installs it from the XPI's file://
URL. The admin's CcGuard values are malformed {"hardLimit": "lots", "externalThreshold": -4}; the user
stored {"externalThreshold": 50, "hardLimit": 5}.
  c) the defaults apply, never the user's values: 10 people of one partner company are held, 9 go out;
     the options page lists both refused values;
  d) the policy installed CcGuard, it works (475 customers in Cc are held) and cannot be disabled or
     removed.
"""
from conftest import docs_screenshot
import time

import pytest

from conftest import ccguard_xpi, make_steps
from harness.options_page import OptionsPage, StoredPolicy
from harness.scenario import SENDER, bare, customers, poll, unique_subject
from harness.thunderbird import CCGUARD_ID

PARTNER = "partner.example"  # one other organisation (not a consumer mailbox domain)


def partners(n: int, prefix: str) -> list[str]:
    """``n`` people of one partner company; every 3rd with a display name."""
    return [f"Partner {i} <{prefix}{i}@{PARTNER}>" if i % 3 == 0 else f"{prefix}{i}@{PARTNER}"
            for i in range(1, n + 1)]


def managed(settings: dict) -> dict:
    """CcGuard's managed settings as an admin writes them in policies.json."""
    return {"3rdparty": {"Extensions": {CCGUARD_ID: settings}}}


def check_policies_read(tb, admin: dict) -> dict:
    """Thunderbird read the copy's distribution/policies.json and hands CcGuard the admin's settings."""
    state = tb.policies_state()
    assert state["status"] == "active", f"Thunderbird's enterprise policies are not active: {state}"
    assert state["appDist"] == str(tb.dir / "install" / "distribution"), (
        f"Thunderbird reads distribution/ from {state['appDist']!r}, not from its installation copy")
    assert state["extensionPolicy"] == admin, f"Services.policies gives CcGuard {state['extensionPolicy']!r}"
    return state


def store(tb, settings: dict) -> None:
    """What the user stored (storage.local "policy"), written from CcGuard's options page."""
    page = OptionsPage.open(tb)
    try:
        StoredPolicy(page).set(settings)
    finally:
        page.close()


# -- sends -------------------------------------------------------------------------------------

_JS_WARNING = r"""
const b = (id) => { const el = document.getElementById(id); return el ? {disabled: el.disabled, hidden: el.hidden} : null; };
return {
  headline: document.getElementById("headline").textContent,
  alsoFired: [...document.querySelectorAll("#rules li")].map((li) => li.textContent),
  blocked: document.body.dataset.blocked || null,
  sendAnyway: b("send-anyway"),
};
"""


def _warning_or_outcome(steps, pending, timeout=30.0):
    return poll(lambda: ("warning" if steps.warning_popups() else None) or ("outcome" if pending.done() else None),
                timeout, what="a warning window or the end of the send")


def expect_held(steps, to, what: str, cc=()) -> dict:
    """Sends; the send must be held by a CcGuard warning. Returns what the warning shows, then goes
    back to editing (nothing is sent) and closes the compose window."""
    subject = unique_subject("managed-held")
    tab = steps.compose(to=to, cc=cc, subject=subject)
    pending = steps.send(tab)
    if _warning_or_outcome(steps, pending) == "outcome":
        out = pending.outcome(0)
        raise AssertionError(f"{what} was not held (no warning window); sendMessage "
                             f"{'resolved: the message went out' if out['ok'] else 'failed: ' + repr(out['error'])}")
    warning = steps.wait_warning()
    view = warning.eval(_JS_WARNING)
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    warning.wait_closed()
    assert not [m for m in steps.sink.messages if m.subject == subject], f"{what}: a message went out after Back to editing"
    steps.close_tab(tab)
    return view


def expect_sent_quietly(steps, to, what: str):
    """Sends; it must go out at once, with no window."""
    subject = unique_subject("managed-quiet")
    before = len(steps.popup_windows_created())
    tab = steps.compose(to=to, subject=subject)
    pending = steps.send(tab)
    if _warning_or_outcome(steps, pending) == "warning":
        warning = steps.wait_warning(mode=None)
        raise AssertionError(f"{what} was held: {warning.text('#headline')!r} / {warning.text('#rules')!r}")
    msg = steps.expect_sent(pending, subject)
    assert steps.popup_windows_created()[before:] == [], f"{what}: a window opened"
    assert set(msg.envelope) == bare(to)
    return msg


def assert_external_rule_alone(view: dict, n: int, what: str) -> None:
    """The warning is the external rule's, for ``n`` people, and no other rule fired (no hard limit)."""
    assert view["headline"].startswith(f"{n} people outside your organisation"), (
        f"{what}: expected the external rule for {n} people, the warning says {view['headline']!r}")
    assert view["alsoFired"] == [], f"{what}: other rules fired too: {view['alsoFired']}"
    assert view["blocked"] is None and view["sendAnyway"] == {"disabled": False, "hidden": False}, (
        f"{what}: a hard limit applies (data-blocked={view['blocked']!r}, Send anyway {view['sendAnyway']})")


# == a) + b): the admin's threshold wins and is locked ===========================================

ADMIN = {"externalThreshold": 3, "locked": ["hardLimit"]}
USER = {"externalThreshold": 50, "hardLimit": 1}


@pytest.fixture(scope="class")
def admin_tb(thunderbird_factory):
    tb = thunderbird_factory.start("managed-admin", policies=managed(ADMIN))
    try:
        check_policies_read(tb, ADMIN)
        yield tb
    finally:
        thunderbird_factory.stop(tb)
    assert tb.installation_error is None, tb.installation_error


class TestAdminSettings:
    @pytest.fixture
    def steps(self, admin_tb, request):
        yield from make_steps(admin_tb, request)

    def test_managed_threshold_is_enforced_over_the_users(self, admin_tb, steps):
        store(admin_tb, USER)
        view = expect_held(steps, partners(3, "a"), "3 people of one partner company (admin: 3, user: 50)")
        assert_external_rule_alone(view, 3, "3 partner people")
        # Under the user's hardLimit 1 this would be held: `locked` keeps hardLimit at its default (off).
        expect_sent_quietly(steps, partners(2, "b"), "2 people of one partner company (user's hardLimit 1 locked)")

    def test_locked_threshold_cannot_be_changed_from_the_options_page(self, admin_tb, steps):
        store(admin_tb, USER)
        page = OptionsPage.open(admin_tb)
        try:
            snap = page.snapshot()
            assert snap["value"] == "3", f"the page should show the admin's 3: {snap}"
            assert snap["locked"] == "true" and snap["inputDisabled"], f"the field should be disabled: {snap}"
            fields = snap["fields"]
            for locked_id in ("externalThreshold-on", "externalThreshold", "hardLimit-on", "hardLimit"):
                assert fields[locked_id]["disabled"], f"#{locked_id} of a locked setting is enabled: {fields[locked_id]}"
            assert fields["hardLimit"]["lockedShown"], f"the locked hardLimit is not marked: {fields['hardLimit']}"
            # The settings the admin left alone stay editable, and so do Save and Reset for them.
            assert not fields["privateThreshold"]["disabled"] and not fields["internalDomains"]["disabled"], fields
            assert not snap["saveDisabled"] and not snap["resetDisabled"], snap
            assert snap["lockedShown"] and snap["lockedText"].strip() == "Set by your organisation", snap
            # The README's picture of a setting locked by the organisation: the field in view.
            page.eval("document.getElementById('externalThreshold').scrollIntoView({block: 'center'}); return true;")
            docs_screenshot("options-locked", admin_tb.screenshot_main())
            assert not snap["problemsShown"] and snap["problems"] == [], f"no admin value was refused: {snap}"

            # A user who re-enables the field (devtools) and submits: the locked keys are not written.
            page.eval("const input = document.getElementById('externalThreshold');"
                      "input.disabled = false; input.value = '2';"
                      "input.dispatchEvent(new window.Event('input', {bubbles: true}));"
                      "document.getElementById('form').requestSubmit(); return true;")
            time.sleep(1.0)
            stored = StoredPolicy(page)
            assert stored.get() == USER, f"storage.local changed: {stored.get()!r}"

            # Writing storage.local from the page itself: stored, but not what is enforced.
            stored.set({"externalThreshold": 2})
            reloaded = page.reload()
            assert reloaded["value"] == "3" and reloaded["locked"] == "true" and reloaded["inputDisabled"], reloaded
        finally:
            page.close()
        expect_sent_quietly(steps, partners(2, "c"), "2 people of one partner company (user stored 2, admin 3)")
        view = expect_held(steps, partners(3, "d"), "3 people of one partner company (admin: 3)")
        assert_external_rule_alone(view, 3, "3 partner people")


# == c) + d): malformed admin values, and CcGuard force-installed by the policy ===================

BAD_ADMIN = {"hardLimit": "lots", "externalThreshold": -4}
USER_C = {"externalThreshold": 50, "hardLimit": 5}


@pytest.fixture(scope="class")
def forced_tb(thunderbird_factory):
    policies = {
        "ExtensionSettings": {CCGUARD_ID: {"installation_mode": "force_installed",
                                           "install_url": ccguard_xpi().as_uri()}},
        **managed(BAD_ADMIN),
    }
    tb = thunderbird_factory.start("managed-forced", policies=policies, side_load_ccguard=False)
    try:
        tb.forced_addon = tb.wait_addon_active(CCGUARD_ID, timeout=60)
        tb.policy_state = check_policies_read(tb, BAD_ADMIN)
        yield tb
    finally:
        thunderbird_factory.stop(tb)
    assert tb.installation_error is None, tb.installation_error


class TestForceInstalled:
    @pytest.fixture
    def steps(self, forced_tb, request):
        yield from make_steps(forced_tb, request)

    def test_malformed_managed_values_fall_back_to_the_defaults(self, forced_tb, steps):
        store(forced_tb, USER_C)
        page = OptionsPage.open(forced_tb)
        try:
            snap = page.snapshot()
        finally:
            page.close()
        assert snap["value"] == "10", f"the page should show the default 10 for the refused -4: {snap}"
        assert snap["locked"] == "true" and snap["inputDisabled"] and snap["lockedShown"], snap
        assert snap["problemsShown"], f"#managed-problems-section is not shown: {snap}"
        problems = snap["problems"]
        assert len(problems) == 2, f"expected the two refused admin values, the page lists {problems}"
        assert any("hardLimit" in p and "lots" in p for p in problems), problems
        assert any("externalThreshold" in p and "-4" in p for p in problems), problems

        # The default 10, not the user's 50; no hard limit (default off), not the user's 5.
        view = expect_held(steps, partners(10, "e"), "10 people of one partner company (admin -4 → default 10)")
        assert_external_rule_alone(view, 10, "10 partner people")
        # Under the user's hardLimit 5 this would be held.
        expect_sent_quietly(steps, partners(9, "f"), "9 people of one partner company (admin 'lots' → no hard limit)")

    def test_force_installed_ccguard_works_and_cannot_be_removed(self, forced_tb, steps):
        addon = forced_tb.forced_addon
        assert addon["installSource"] == "enterprise-policy", f"CcGuard was not installed by the policy: {addon}"
        assert addon["sourceURI"] == ccguard_xpi().as_uri(), addon
        assert addon["isActive"] and not addon["userDisabled"], addon
        assert not addon["canUninstall"] and not addon["canDisable"], (
            f"the Add-ons Manager lets the user remove or disable a force-installed CcGuard: {addon}")
        state = forced_tb.policy_state
        assert state["active"]["ExtensionSettings"][CCGUARD_ID]["installation_mode"] == "force_installed", state
        assert not state["uninstallAllowed"] and not state["disableAllowed"], state

        view = expect_held(steps, [SENDER], "475 customers in Cc", cc=customers(475, prefix="forced"))
        assert "475" in view["headline"], f"the warning does not count 475 people: {view}"

        # What the user sees in Thunderbird's Add-ons Manager: no Disable toggle, "Can't Be Removed".
        card = forced_tb.addons_manager_card(CCGUARD_ID)
        assert card["enabled"] and not card["toggleShown"], f"the Add-ons Manager offers to disable CcGuard: {card}"
        assert card["removeShown"] and card["removeDisabled"] and card["removeLabel"] == "remove-addon-disabled-button", (
            f"the Add-ons Manager offers to remove CcGuard: {card}")

        # The AddonManager call behind that toggle. 153 refuses it for a policy's add-on; 140's
        # AddonManager has no such check (only the Add-ons Manager's page hides the toggle, above).
        out = forced_tb.mn.execute_async(_JS_DISABLE, [CCGUARD_ID], timeout=20)
        if "error" in out:
            assert "disallowed by enterprise policy" in out["error"], f"disable failed otherwise: {out}"
        else:
            major = int(forced_tb.mn.execute("return Services.appinfo.version;").split(".")[0])
            assert major < 153, f"Thunderbird {major} let AddonManager disable a force-installed CcGuard"
            assert forced_tb.mn.execute_async(_JS_ENABLE, [CCGUARD_ID], timeout=20) is True
        forced_tb.wait_addon_active(CCGUARD_ID, timeout=20)


_JS_DISABLE = r"""
const [id, resolve] = arguments;
const {AddonManager} = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
AddonManager.getAddonByID(id).then((a) => a.disable()).then(() => resolve({disabled: true}), (e) => resolve({error: String(e)}));
"""

_JS_ENABLE = r"""
const [id, resolve] = arguments;
const {AddonManager} = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
AddonManager.getAddonByID(id).then((a) => a.enable()).then(() => resolve(true), (e) => resolve(String(e)));
"""
