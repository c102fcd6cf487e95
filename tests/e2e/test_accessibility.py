"""Accessibility of the warning window and the options page, in the real Thunderbird.

- axe-core (WCAG 2.0/2.1 A and AA + best practices) finds no violation on the real pages, in the
  light and in the dark scheme: the warning for 475 customers in Cc, the organisation's hard limit
  (Send anyway off, "Move only external people" on) and the gentle large-audience warning; the
  options page as it opens and with an invalid value (its error shown);
- the warning is an alertdialog labelled by its headline and described by its reason (and the
  blocked reason when there is one); focus starts on the safe default, Move to Bcc;
- Tab and Shift+Tab (real keys) go through every enabled button in order, and nothing else but the
  scrollable lists. Enter and Escape are covered by test_warning_choices/test_more_scenarios.
- every name, address, list name and domain the warning shows is bidi-isolated (a <bdi>), so a
  right-to-left name or a U+202E in it cannot reorder the rest of its line.

One Thunderbird (the session's ``tb``): the scheme is switched at run time (harness/a11y.py).
The degraded window (broken WASM core) is checked in test_degraded.py, in that module's instance.
"""
from __future__ import annotations

from conftest import docs_screenshot
import functools

import pytest

from harness import a11y
from harness.options_page import OptionsPage
from harness.scenario import SENDER, SENDER_EMAIL, customers, unique_subject
from harness.profile import THERAPIST_EMAIL, THERAPIST_IDENTITY

OWN_DOMAIN = SENDER_EMAIL.rsplit("@", 1)[1]


def colleagues(n: int, prefix: str = "a11y-colleague") -> list[str]:
    return [f"{prefix}{i}@{OWN_DOMAIN}" for i in range(1, n + 1)]


@pytest.fixture
def scheme(tb):
    """Switches the colour scheme; the default comes back after the test."""
    yield functools.partial(a11y.set_dark, tb)
    a11y.set_dark(tb, None)


def axe_in_both_schemes(tb, evaluate, set_scheme, label: str, shoot=None) -> list[str]:
    """axe-core in light, then dark: the report of each run with violations. ``shoot(dark)``
    may take the page's screenshot in each scheme."""
    failures = []
    for dark in (False, True):
        set_scheme(dark)
        a11y.wait_scheme(evaluate, dark)
        result = a11y.run_axe(evaluate)
        assert result["dark"] is dark, result
        if result["violations"]:
            failures.append(a11y.describe(label, result))
        if shoot is not None:
            shoot(dark)
    return failures


# -- the warning window ------------------------------------------------------------------------------

_JS_DIALOG = r"""
const d = document.getElementById("dialog");
const ref = (id) => { const el = document.getElementById(id);
  return el ? {id, tag: el.tagName.toLowerCase(), text: el.textContent.trim(), hidden: el.hidden} : {id, missing: true}; };
return {
  role: d && d.getAttribute("role"),
  modal: d && d.getAttribute("aria-modal"),
  labelledBy: d ? (d.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean).map(ref) : [],
  describedBy: d ? (d.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean).map(ref) : [],
  focused: document.activeElement ? document.activeElement.id : null,
  blocked: document.body.dataset.blocked === "true",
};
"""

WARNINGS = {
    # policy, recipients, what the headline must say
    "475-customers": ({}, {"to": [SENDER], "cc": customers(475)}, "475"),
    "hard-limit": ({"hardLimit": 20},
                   {"to": [SENDER], "cc": colleagues(5) + customers(25, prefix="a11y-limit")}, "30"),
    "gentle-audience": ({"audienceThreshold": 30}, {"to": colleagues(40)}, "40"),
}


@pytest.mark.parametrize("case", list(WARNINGS))
def test_warning_window_is_an_accessible_dialog(tb, steps, policy, scheme, case):
    stored, recipients, number = WARNINGS[case]
    if stored:
        policy.set(stored)
    subject = unique_subject(f"a11y-{case}")
    tab = steps.compose(subject=subject, **recipients)
    pending = steps.send(tab)
    warning = steps.wait_warning()  # state "ready": armed, focus placed
    evaluate = functools.partial(tb.page_eval, warning.bcid)

    # A dialog named by its headline, described by its reason (and why Send anyway is off).
    d = warning.eval(_JS_DIALOG)
    assert d["role"] == "alertdialog" and d["modal"] == "true", d
    assert [r["id"] for r in d["labelledBy"]] == ["headline"], f"aria-labelledby: {d['labelledBy']}"
    headline = d["labelledBy"][0]
    assert headline["tag"] == "h1" and number in headline["text"], headline
    described = [r["id"] for r in d["describedBy"]]
    assert described == (["reason", "blocked-reason"] if d["blocked"] else ["reason"]), d["describedBy"]
    assert all(r.get("text") and not r.get("hidden") for r in d["describedBy"]), d["describedBy"]
    assert d["blocked"] is (case == "hard-limit"), d

    # Focus starts on the safe default.
    assert d["focused"] == "move-to-bcc", f"focus starts on {d['focused']!r}, not on #move-to-bcc"

    def shoot(dark):  # the README's dark warning: the same 475 customers as warning.png
        if dark and case == "475-customers":
            docs_screenshot("warning-dark", tb.screenshot(warning.bcid))

    failures = axe_in_both_schemes(tb, evaluate, scheme, f"warning window ({case})", shoot)

    # Tab and Shift+Tab: every enabled button, in order; in between only the scrollable lists.
    operable = warning.eval(a11y.JS_OPERABLE)
    assert "move-to-bcc" in operable and "back-to-edit" in operable, operable
    if case == "hard-limit":
        assert "send-anyway" not in operable and "move-external-to-bcc" in operable, operable
    start = operable.index("move-to-bcc")
    tab_problems = []

    def cycle(key):
        try:
            return a11y.tab_cycle(tb, evaluate, warning.bcid, key) + ["move-to-bcc"]
        except AssertionError as error:  # focus never came back to where it started
            tab_problems.append(str(error))
            return None

    forward, backward = cycle("Tab"), cycle("Shift+Tab")
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    assert not failures, "\n\n".join(failures)

    if forward is not None:
        if [f for f in forward if f in operable] != operable[start + 1:] + operable[:start + 1]:
            tab_problems.append(f"Tab from #move-to-bcc meets {forward}; the enabled buttons are {operable}")
        others = [f for f in forward if f not in operable and f is not None]
        if not all(f.startswith(".scroller") for f in others):
            tab_problems.append(f"Tab stops on something else: {others}")
    if backward is not None and [f for f in backward if f in operable] != (
            operable[:start][::-1] + operable[start:][::-1]):
        tab_problems.append(f"Shift+Tab from #move-to-bcc meets {backward}; the enabled buttons are {operable}")
    if tab_problems and tb.major_version() < 153:
        # Headless 140 ESR moves focus only between the page and #move-to-bcc in the popup
        # window, even through Gecko's focus manager; 153 and the options page on 140 cycle
        # normally. Not shown to be a user-facing bug: reported as a known failure, not a pass.
        pytest.xfail("headless Thunderbird 140 does not cycle Tab in the popup: " + "; ".join(tab_problems))
    assert not tab_problems, "\n".join(tab_problems)


def test_the_question_window_is_an_accessible_dialog(tb, steps, policy, scheme):
    """Held only to ask what the gmail.com identity is for: the same dialog, the question as its
    name, the three answers a group named by it, and focus on Back to editing (Enter must not
    answer by reflex)."""
    subject = unique_subject("a11y-question")
    tab = steps.compose(to=[THERAPIST_EMAIL], cc=customers(3, prefix="a11y-question"), subject=subject,
                        identity=THERAPIST_IDENTITY)
    pending = steps.send(tab)
    warning = steps.wait_warning(mode="question")
    evaluate = functools.partial(tb.page_eval, warning.bcid)
    d = warning.eval(_JS_DIALOG)
    assert d["role"] == "alertdialog" and [r["id"] for r in d["labelledBy"]] == ["headline"], d
    assert THERAPIST_EMAIL in d["labelledBy"][0]["text"], d["labelledBy"]
    assert [r["id"] for r in d["describedBy"]] == ["reason"] and d["describedBy"][0]["text"], d["describedBy"]
    assert d["focused"] == "back-to-edit", f"focus starts on {d['focused']!r}"
    group = warning.eval(
        "const g = document.getElementById('role-question');"
        "return {role: g.getAttribute('role'), labelledBy: g.getAttribute('aria-labelledby'),"
        " answers: [...g.querySelectorAll('button')].map(b => [b.id, b.disabled,"
        "   document.getElementById(b.getAttribute('aria-describedby')).textContent.trim() !== ''])};")
    assert group == {"role": "group", "labelledBy": "headline", "answers": [
        ["role-personal", False, True], ["role-organisation", False, True], ["role-sensitive", False, True]]}, group
    operable = warning.eval(a11y.JS_OPERABLE)
    assert set(operable) >= {"role-personal", "role-organisation", "role-sensitive", "back-to-edit"}, operable
    failures = axe_in_both_schemes(tb, evaluate, scheme, "question window")
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    assert not failures, "\n\n".join(failures)


# -- outside text cannot reorder the window ----------------------------------------------------------

# Right-to-left names, one with a right-to-left override (U+202E) that would flip everything after
# it, one ending in an unclosed isolate (U+2067): shown, without reordering anything around them.
RTL_NAMES = ["\u05d3\u05e0\u05d4 \u05db\u05d4\u05df", "Eve \u202eevil 123", "\u0633\u0627\u0631\u0629 \u2067x"]

_JS_ISOLATION = r"""
const outside = [...document.querySelectorAll(
  "#recipients .name, #recipients .email, #recipients .via bdi, #domains .domain, #lists .list-name, #problems .input, #headline bdi")];
const isolated = (el) => el.tagName === "BDI" && window.getComputedStyle(el).unicodeBidi === "isolate";
const controls = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/;
return {
  count: outside.length,
  names: [...document.querySelectorAll("#recipients .name")].map((el) => el.textContent),
  notIsolated: outside.filter((el) => !isolated(el)).map((el) => `${el.className}: ${el.textContent}`),
  // Nothing of the page's own text sits inside an isolate: only the outside text does.
  bdiHolding: [...document.querySelectorAll("bdi")].filter((b) => b.children.length > 0).length,
  controls: controls.test(document.body.textContent),
};
"""


def test_names_addresses_and_domains_are_bidi_isolated(tb, steps, policy):
    cc = [f'"{n}" <rtl{i}@gmail.com>' for i, n in enumerate(RTL_NAMES, start=1)] + customers(4, prefix="a11y-rtl")
    subject = unique_subject("a11y-bidi")
    tab = steps.compose(to=[SENDER], cc=cc, subject=subject)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    view = warning.eval(_JS_ISOLATION)
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    assert view["count"] >= 2 * len(cc), f"the recipients and domains were not all found: {view}"
    assert not view["notIsolated"], f"outside text shown without a <bdi> isolate: {view['notIsolated']}"
    assert view["bdiHolding"] == 0, "a <bdi> holds elements: only outside text belongs in an isolate"
    assert not view["controls"], "a bidi control character from a display name reached the window"
    shown = " | ".join(view["names"])
    for name in ("\u05d3\u05e0\u05d4", "evil 123", "\u0633\u0627\u0631\u0629"):
        assert name in shown, f"{name!r} is not shown among the names: {shown!r}"


# -- the options page ----------------------------------------------------------------------------------

def test_options_page_passes_axe_and_tab_reaches_every_control(tb, steps, scheme):
    page = OptionsPage.open(tb)
    try:
        evaluate = functools.partial(tb.tab_eval, page.tab_id)
        def shoot(dark):  # the README's options page, in light
            if not dark:
                docs_screenshot("options", tb.screenshot_main())

        failures = axe_in_both_schemes(tb, evaluate, scheme, "options page (as opened)", shoot)

        page.type("12abc")
        snap = page.snapshot()
        assert snap["errorShown"] and snap["ariaInvalid"] == "true", f"no error shown for an invalid value: {snap}"
        failures += axe_in_both_schemes(tb, evaluate, scheme, "options page (invalid value)")

        page.type("25")
        # Every enabled control, in document order, from the first one on.
        stops = page.eval(a11y.JS_TAB_STOPS)
        operable, backward = stops["forward"], stops["backward"]
        assert "externalThreshold" in operable and "save" in operable and "reset" in operable, operable
        assert all(operable), f"a control without an id: {operable}"
        a11y.focus_tab(tb, page.tab_id)
        page.eval(f"document.getElementById({operable[0]!r}).focus(); return true;")
        met, now = [], operable[0]
        for _ in operable[1:]:
            now = a11y.press_and_read(tb, evaluate, "Tab", now)
            met.append(now)
        assert met == operable[1:], f"Tab from the first control meets {met}; the Tab stops are {operable}"
        back = []
        for _ in backward[1:]:
            now = a11y.press_and_read(tb, evaluate, "Shift+Tab", now)
            back.append(now)
        assert back == backward[:-1][::-1], f"Shift+Tab meets {back}; the Tab stops backwards are {backward}"
        assert not failures, "\n\n".join(failures)
    finally:
        page.close()
