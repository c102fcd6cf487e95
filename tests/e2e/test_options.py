"""The options page really drives the policy: what is typed and saved in CcGuard's own options page
(a real tab of Thunderbird, its real field and buttons; storage is never written by the test)
decides whether the next send is held.

Every test starts from, and gives back, the default threshold (10): the ``options`` fixture checks
it on the way in and clicks "Reset to default" on the way out, even when the test failed.
"""
import json
import re
import zipfile

import pytest

from conftest import ccguard_xpi
from harness.options_page import OptionsPage, StoredPolicy
from harness.profile import SENDER_EMAIL, THERAPIST_EMAIL, THERAPIST_IDENTITY
from harness.scenario import bare, poll, unique_subject

DEFAULT = 10


def _restore_default(tb, page):
    """Click "Reset to default" (in this page, or else in a fresh one) and check a fresh load shows 10."""
    problems = []
    for attempt in ("this page", "a fresh page"):
        fresh = None
        try:
            if attempt == "this page":
                target = page
            else:  # openTab would just switch back to a tab still showing the page: close it first
                page.close()
                target = fresh = OptionsPage.open(tb)
            if target.state() != "reset":
                target.reset()
            shown = target.reload()["value"]
            assert shown == str(DEFAULT), f"after Reset a fresh load of the page shows {shown!r}"
            return
        except Exception as e:  # noqa: BLE001 - reported below if the second attempt fails too
            problems.append(f"{attempt}: {e}")
        finally:
            if fresh is not None:
                fresh.close()
    raise AssertionError("could not put the threshold back to the default through the options page; "
                         "later tests would run with a changed policy:\n" + "\n".join(problems))


@pytest.fixture
def options(tb, steps):
    """CcGuard's options page in a Thunderbird tab, showing the default; reset and closed afterwards."""
    page = OptionsPage.open(tb)
    try:
        snap = page.snapshot()
        assert snap["value"] == str(DEFAULT), (
            f"the options page should start at the default {DEFAULT}, it shows {snap['value']!r} "
            "(did an earlier test leave a threshold behind?)")
        yield page
    finally:
        try:
            _restore_default(tb, page)
        finally:
            page.close()


def _save(page, text):
    typed = page.type(text)
    assert typed["state"] == "ready" and typed["saveDisabled"] is False and not typed["errorShown"], (
        f"typing {text!r} should leave a valid, savable form: {typed}")
    saved = page.save()
    assert saved["value"] == text, f"the field changed while saving {text!r}: {saved}"
    assert saved["status"], f"no status message after saving {text!r}: {saved}"
    return saved


def _distinct(n, prefix):
    return [f"{prefix}{i}@example.org" for i in range(1, n + 1)]


def _warning_or_outcome(steps, pending, timeout=30.0):
    """Whichever comes first after a send: a CcGuard warning window, or sendMessage settling."""
    return poll(lambda: ("warning" if steps.warning_popups() else None) or ("outcome" if pending.done() else None),
                timeout, what="a warning window or the end of the send")


def _expect_warning(steps, n, label):
    """``n`` distinct people in To are held: the warning says ``n``; back to editing; the tab is closed."""
    subject = unique_subject(label)
    tab = steps.compose(to=_distinct(n, label), subject=subject)
    pending = steps.send(tab)
    if _warning_or_outcome(steps, pending) == "outcome":
        out = pending.outcome(0)
        raise AssertionError(f"{n} people in To were not held (no warning window); sendMessage "
                             f"{'resolved: the message went out' if out['ok'] else 'failed: ' + repr(out['error'])}")
    warning = steps.wait_warning()
    headline = warning.text("#headline") or ""
    assert re.search(rf"\b{n}\b", headline), f"the warning headline does not say {n}: {headline!r}"
    warning.click("back-to-edit")
    warning.wait_closed()
    steps.expect_rejected(pending)
    steps.sink.assert_nothing(wait=0.5, subject=subject)
    steps.close_tab(tab)


def _expect_sent_without_warning(steps, label, **fields):
    subject = unique_subject(label)
    tab = steps.compose(subject=subject, **fields)
    before = len(steps.popup_windows_created())
    pending = steps.send(tab)
    if _warning_or_outcome(steps, pending) == "warning":
        headline = steps.wait_warning().text("#headline")
        raise AssertionError(f"a CcGuard warning opened although none was expected: {headline!r}")
    msg = steps.expect_sent(pending, subject)
    created = steps.popup_windows_created()[before:]
    assert created == [], f"a window opened although no warning was expected: {created}"
    assert steps.warning_popups() == [], f"a warning window is open: {steps.warning_popups()}"
    return msg


def test_saved_threshold_applies_to_the_next_send(options, steps):
    start = options.snapshot()
    assert start["state"] == "ready" and start["saveDisabled"] is False and not start["errorShown"], start
    assert re.search(rf"\b{DEFAULT}\b", start["help"] or ""), f"help does not name the default: {start['help']!r}"

    _save(options, "3")
    assert options.reload()["value"] == "3", "the saved threshold is not what a fresh load of the page shows"

    # 4 people would not be held at the default 10: only the saved 3 holds them.
    _expect_warning(steps, 4, "opt-three")


@pytest.mark.parametrize("text", ["-5", "2.5", "100001", ""], ids=["negative", "fraction", "too-big", "empty"])
def test_field_refuses_what_is_not_a_whole_number_in_range(options, text):
    snap = options.type(text)
    assert snap["state"] == "invalid", f"{text!r} should make the form invalid: {snap}"
    assert snap["saveDisabled"] is True, f"Save must be disabled for {text!r}: {snap}"
    assert snap["errorShown"] and snap["errorText"].strip(), f"no visible error for {text!r}: {snap}"
    assert snap["ariaInvalid"] == "true", f"the field is not marked aria-invalid for {text!r}: {snap}"

    fixed = options.type("7")
    assert fixed["state"] == "ready" and fixed["saveDisabled"] is False, f"a valid value after {text!r}: {fixed}"
    assert not fixed["errorShown"] and fixed["ariaInvalid"] is None, f"the error stayed after typing 7: {fixed}"


def test_invalid_value_leaves_the_stored_policy_unchanged(options, steps):
    _save(options, "3")

    snap = options.type("-5")
    assert snap["state"] == "invalid", f"-5 should make the form invalid: {snap}"
    assert snap["saveDisabled"] is True, f"Save must be disabled for -5: {snap}"
    assert snap["errorShown"] and snap["errorText"].strip(), f"no visible error for -5: {snap}"

    # Submitting anyway (as Enter in the field would) must not store anything either.
    options.eval("document.getElementById('form').requestSubmit(); return true;")
    after = options.wait_state("invalid")
    assert after["value"] == "-5" and after["saveDisabled"] is True, after

    # Still 3: a stored -5 would be refused by the core (default 10 applies) and 4 would go out unwarned.
    _expect_warning(steps, 4, "opt-invalid")
    assert options.reload()["value"] == "3", "the stored threshold changed although -5 was refused"


def test_zero_turns_the_warning_off(options, steps):
    saved = _save(options, "0")
    assert "off" in saved["status"].lower(), f"the status does not say the warning is off: {saved['status']!r}"

    # People of one partner organisation: only the rule this field sets applies to them.
    cc = _distinct(40, "opt-off")
    msg = _expect_sent_without_warning(steps, "opt-off", to=[], cc=cc)
    got = msg.addresses("Cc")
    assert len(got) == 40 and set(got) == bare(cc), f"Cc holds {len(got)} addresses, expected the 40 typed"
    assert set(msg.envelope) == bare(cc), f"envelope has {len(msg.envelope)} recipients, expected the 40"


def test_reset_restores_the_default(options, steps):
    _save(options, "3")

    snap = options.reset()
    assert snap["value"] == str(DEFAULT), f"after Reset the field shows {snap['value']!r}, not {DEFAULT}"
    assert snap["status"], f"no status message after Reset: {snap}"
    assert snap["saveDisabled"] is False and not snap["errorShown"], snap

    # 9 would be held at 3; 10 would not be held at any threshold above 10.
    msg = _expect_sent_without_warning(steps, "opt-reset-9", to=_distinct(9, "opt-reset-nine"))
    assert len(msg.addresses("To")) == 9
    _expect_warning(steps, 10, "opt-reset-ten")
    assert options.reload()["value"] == str(DEFAULT), "a fresh load after Reset does not show the default"


# -- the other settings of the page ----------------------------------------------------------------

TEAM = "ccguard-team.example"  # a domain that is not the sender's: its people are outside the organisation


def test_internal_domain_makes_people_colleagues(options, steps):
    team = [f"teammate{i}@{TEAM}" for i in range(1, 13)]
    # At the defaults, 12 people of another organisation are held (external rule, from 10).
    subject_before = unique_subject("opt-team-before")
    tab = steps.compose(to=team, subject=subject_before)
    pending = steps.send(tab)
    assert _warning_or_outcome(steps, pending) == "warning", f"12 people at {TEAM} were not held at the defaults"
    warning = steps.wait_warning()
    warning.click("back-to-edit")
    warning.wait_closed()
    steps.expect_rejected(pending)
    steps.close_tab(tab)

    snap = options.type(f"{TEAM}\n", field="internalDomains")
    snap = options.wait_preview(lambda s: s["state"] == "ready" and not s["saveDisabled"], "a valid internal domain")
    assert not snap["fields"]["internalDomains"]["errorShown"], snap["fields"]["internalDomains"]
    saved = options.save()
    assert saved["status"], saved
    assert options.reload()["fields"]["internalDomains"]["value"] == TEAM, "a fresh load does not show the saved domain"

    # Now they are colleagues: the same 12 go out at once, with no window.
    msg = _expect_sent_without_warning(steps, "opt-team-after", to=team)
    assert set(msg.envelope) == set(team), f"envelope: {msg.envelope}"


def test_invalid_pattern_shows_its_error_and_disables_save(options):
    snap = options.type("good.example\nnot a domain!", field="internalDomains")
    snap = options.wait_preview(lambda s: s["state"] == "invalid", "an invalid domain pattern to be refused")
    field = snap["fields"]["internalDomains"]
    assert field["ariaInvalid"] == "true" and field["errorShown"], f"no visible error for the bad pattern: {field}"
    assert "Line 2" in field["errorText"] and "not a domain!" in field["errorText"], field["errorText"]
    assert snap["saveDisabled"] is True, f"Save must be disabled while a pattern is refused: {snap}"
    described = options.eval("return document.getElementById('internalDomains').getAttribute('aria-describedby');")
    assert "internalDomains-error" in described.split(), described

    # Submitting anyway (Enter) stores nothing.
    options.eval("document.getElementById('form').requestSubmit(); return true;")
    after = options.wait_state("invalid")
    assert after["saveDisabled"] is True and not after["status"], after

    fixed = options.type("good.example\n*.also-good.example", field="internalDomains")
    fixed = options.wait_preview(lambda s: s["state"] == "ready", "the corrected list to be accepted")
    assert not fixed["fields"]["internalDomains"]["errorShown"] and fixed["saveDisabled"] is False, fixed


def test_preview_follows_the_private_threshold(options):
    snap = options.wait_preview(lambda s: len(s["preview"]) == 4, "the preview of the four sample messages")
    by = {p["sample"]: p for p in snap["preview"]}
    assert by["customers"]["warns"] and by["customers"]["rule"] == "private-individuals", by["customers"]
    assert "30 private individuals" in by["customers"]["text"], by["customers"]["text"]
    assert not by["colleagues"]["warns"] and "without a warning" in by["colleagues"]["text"], by["colleagues"]
    assert not by["meeting"]["warns"], by["meeting"]
    assert by["companies"]["warns"] and by["companies"]["rule"] == "external-recipients", by["companies"]

    off = options.switch("privateThreshold", False)
    assert off["fields"]["privateThreshold"]["disabled"], "the number field stays enabled with its rule off"
    off = options.wait_preview(lambda s: any(p["sample"] == "customers" and p["rule"] == "external-recipients"
                                             for p in s["preview"]), "the preview to follow privateThreshold off")
    customers_line = next(p for p in off["preview"] if p["sample"] == "customers")
    assert "30 people outside your organisation" in customers_line["text"], customers_line

    # With the external rule off too, the customers' message would go out without a warning.
    options.switch("externalThreshold", False)
    quiet = options.wait_preview(lambda s: any(p["sample"] == "customers" and not p["warns"] for p in s["preview"]),
                                 "the preview with both rules off")
    assert quiet["state"] == "ready" and quiet["saveDisabled"] is False, quiet


# -- the form is the core's key table ---------------------------------------------------------------

# The table lists its keys group by group, in the order the page shows the groups.
FIRST_GROUPS = ["when", "hard-limit", "context"]

_JS_FORM = r"""
const text = (el) => el ? el.textContent.trim() : "";
const labelOf = (id) => text(document.querySelector(`label[for="${id}"]`));
return {
  groups: [...document.querySelectorAll("#groups > fieldset")].map((f) => ({
    group: f.dataset.group, legend: text(f.querySelector("legend")),
    keys: [...f.querySelectorAll(".field[data-key]")].map((d) => d.dataset.key),
    placeholders: [...f.querySelectorAll("section[data-group]")].map((s) => s.id)})),
  controls: Object.fromEntries([...document.querySelectorAll(".field[data-key]")].map((d) => {
    const key = d.dataset.key, el = document.getElementById(key);
    return [key, {type: d.dataset.type, tag: el ? el.tagName.toLowerCase() : null, inputType: el ? el.type || null : null,
      checked: el ? el.checked : null, on: document.getElementById(`${key}-on`) ? labelOf(`${key}-on`) : null,
      label: labelOf(key), help: text(document.getElementById(`${key}-help`))}];
  })),
  sections: Object.fromEntries(["roles-section", "groups-section"].map((id) => {
    const el = document.getElementById(id);
    return [id, el ? {hidden: el.hidden, group: el.closest("fieldset")?.dataset.group ?? null,
      first: document.getElementById("form").firstElementChild === el,
      roles: [...el.querySelectorAll("fieldset.role")].map((f) => ({
        email: f.dataset.email, answers: [...f.querySelectorAll("input[type=radio]")].map((r) => r.value)})),
      buttons: [...el.querySelectorAll("button")].map((b) => b.id).filter(Boolean)} : null];
  })),
};
"""


def _key_table() -> dict:
    with zipfile.ZipFile(ccguard_xpi()) as xpi:
        return json.loads(xpi.read("wasm/policy-keys.json"))


def test_installing_opens_the_question_what_each_address_is_used_for(tb):
    """CcGuard was installed into this profile at the start: with both addresses unanswered, it
    opened its options page in a tab (the harness noticed, and closed it)."""
    assert tb.install_page_opened, "installing CcGuard did not open its options page"


def test_form_is_built_from_the_key_table(options):
    """Every key of the table the XPI ships has its control (id = key name), in its group, groups in
    their order, each labelled and explained in words (not its key name); the switches are checkboxes."""
    table = _key_table()
    form = options.eval(_JS_FORM)
    keys = [k["name"] for k in table["keys"]]
    assert sorted(form["controls"]) == sorted(keys), f"the form's settings {sorted(form['controls'])} are not the table's {sorted(keys)}"
    groups = [g["group"] for g in form["groups"]]
    want = list(dict.fromkeys(k["group"] for k in table["keys"]))
    assert want[:3] == FIRST_GROUPS and want[-1] == "identities", f"the key table's groups: {want}"
    # A group with nothing to show (no identity has settings of its own) is hidden, not missing.
    assert groups == want, f"the groups are {groups}, expected {want} (in that order)"
    for group in form["groups"]:
        in_table = [k["name"] for k in table["keys"] if k["group"] == group["group"]]
        assert group["keys"] == in_table, f"group {group['group']} holds {group['keys']}, the table says {in_table}"
        assert group["legend"] and group["legend"] != group["group"], f"group {group['group']} has no legend in words: {group}"
    for key in table["keys"]:
        c = form["controls"][key["name"]]
        assert c["type"] == key["type"], (key["name"], c)
        if key["type"] == "identities":
            assert c["tag"] == "ul", c  # read-only, as before
            continue
        words = c["on"] if key["type"] == "threshold" else c["label"]
        assert words and key["name"] not in words, f"{key['name']}: no label in words: {c}"
        assert c["help"] and key["name"] not in c["help"], f"{key['name']}: no help in words: {c}"
        want_tag = {"threshold": ("input", "number"), "number": ("input", "number"), "switch": ("input", "checkbox"),
                    "list": ("textarea", "textarea")}
        assert (c["tag"], c["inputType"]) == want_tag[key["type"]], f"{key['name']}: {c}"
        if key["type"] == "switch":
            assert c["checked"] is key["default"], f"{key['name']} does not show its default {key['default']}: {c}"
        if key["type"] == "threshold" and key["default"] > 0:
            assert re.search(rf"\b{key['default']:,}\b|\b{key['default']}\b", c["help"]), f"{key['name']}: help without the default: {c}"
    # What each address is used for: both identities of the profile, unanswered, so asked first
    # on the page; the known groups in their group, with forget-all and the learning from mail.
    roles, known = form["sections"]["roles-section"], form["sections"]["groups-section"]
    assert not roles["hidden"] and roles["first"], roles
    assert [r["email"] for r in roles["roles"]] == [SENDER_EMAIL, THERAPIST_EMAIL], roles
    assert all(r["answers"] == ["organisation", "personal", "sensitive"] for r in roles["roles"]), roles
    assert not known["hidden"] and known["group"] == "context", known
    assert {"groups-forget-all", "groups-scan"} <= set(known["buttons"]), known


def test_a_switch_is_saved_as_exactly_that_key(tb, options):
    stored = StoredPolicy(options)
    assert stored.get() in (None, {}), f"the test starts with a stored policy: {stored.get()!r}"
    off = options.check("learnGroups", False)
    assert off["state"] == "ready" and off["saveDisabled"] is False, off
    options.save()
    assert stored.get() == {"learnGroups": False}, f"Save stored {stored.get()!r}, not just the switch turned off"
    # The known groups follow at once: no scan of recent mail with learning off.
    poll(lambda: options.eval("return document.getElementById('groups-scan').disabled === true;"), 5,
         what="the scan of recent mail to be switched off with learning")
    again = options.reload()
    assert again["fields"]["learnGroups"]["value"] is False and again["fields"]["rememberGroups"]["value"] is True, again["fields"]
    options.reset()
    assert stored.get() == {}, f"Reset left {stored.get()!r}"
    assert options.reload()["fields"]["learnGroups"]["value"] is True


def test_save_writes_what_was_changed_here_and_keeps_what_another_tab_saved_meanwhile(tb, options):
    stored = StoredPolicy(options)
    assert stored.get() in (None, {}), f"the test starts with a stored policy: {stored.get()!r}"
    # This page shows the defaults; meanwhile another options tab saves two settings.
    stored.set({"hardLimit": 50, "learnGroups": False})
    _save(options, "7")
    assert stored.get() == {"hardLimit": 50, "learnGroups": False, "externalThreshold": 7}, (
        f"Save stored {stored.get()!r}: it must write only the threshold changed here")
    options.reset()
    assert stored.get() == {}, f"Reset left {stored.get()!r}"


def test_what_an_address_is_used_for_is_saved_and_judges_the_next_send(tb, steps, options):
    """The therapist's gmail.com address, unanswered, counts as private life: two clients in Cc
    go out (fewer than work would warn about, so nothing is asked). Answered "Sensitive work" on
    the options page, the same send is held."""
    clients = ["cl.one@gmail.com", "cl.two@web.de"]
    subject = unique_subject("role-unanswered")
    before = len(steps.popup_windows_created())
    tab = steps.compose(to=[THERAPIST_EMAIL], cc=clients, subject=subject, identity=THERAPIST_IDENTITY)
    steps.expect_sent(steps.send(tab), subject)
    assert steps.popup_windows_created()[before:] == []

    options.eval("document.getElementById('role-1-sensitive').click(); return true;")
    poll(lambda: options.eval("return document.getElementById('roles-status').textContent;"), 10,
         what="the answer to be saved")
    stored = StoredPolicy(options).get()
    assert stored["identities"] == {THERAPIST_EMAIL: {"role": "sensitive"}}, stored
    try:
        subject = unique_subject("role-sensitive")
        tab = steps.compose(to=[THERAPIST_EMAIL], cc=clients, subject=subject, identity=THERAPIST_IDENTITY)
        pending = steps.send(tab)
        warning = steps.wait_warning()
        warning.click("back-to-edit")
        steps.expect_rejected(pending)
    finally:
        StoredPolicy(options).set({})
