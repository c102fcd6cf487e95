"""Accessibility checks inside the real Thunderbird: axe-core on a page, the colour scheme, real keys.

axe-core (npm, pinned in build.sh, installed into build/tools by ``./build.sh lint`` / ``./build.sh
test``) cannot be added to CcGuard's pages as a script: their CSP allows only the add-on's own files.
It is evaluated instead from the frame script, in a ``Cu.Sandbox`` whose prototype is the page's
window (no Xrays): axe sees the live DOM, computed styles and the page's colour scheme, and its
``axe`` global stays in the sandbox, never in the page.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
AXE_JS = REPO / "build" / "tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_PACKAGE = AXE_JS.parent / "package.json"
# WCAG 2.0/2.1 A and AA, plus Deque's best practices.
RUN_ONLY = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source() -> str:
    if not AXE_JS.is_file():
        raise AssertionError(f"{AXE_JS} is missing: `./build.sh lint` installs axe-core into build/tools")
    return AXE_JS.read_text()


def axe_version() -> str:
    return json.loads(AXE_PACKAGE.read_text())["version"]


def _axe_code(source: str) -> str:
    run = (f"axe.run(document, {{runOnly: {json.dumps(RUN_ONLY)}, resultTypes: ['violations']}})"
           ".then((r) => JSON.stringify({"
           "  version: axe.version, url: document.URL,"
           "  dark: window.matchMedia('(prefers-color-scheme: dark)').matches,"
           "  violations: r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
           "    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary}))})),"
           "  incomplete: r.incomplete.map((v) => ({id: v.id, impact: v.impact, help: v.help,"
           "    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary}))})),"
           "  passes: r.passes.length}))")
    return ("const Cu = Components.utils;"
            "const sandbox = Cu.Sandbox(content, {sandboxPrototype: content, wantXrays: false, sameZoneAs: content});"
            f"Cu.evalInSandbox({json.dumps(source)}, sandbox);"
            f"return Cu.evalInSandbox({json.dumps(run)}, sandbox);")


def run_axe(evaluate, timeout: float = 60.0) -> dict:
    """axe-core on the page behind ``evaluate(code, timeout=, awaits=)`` (``tb.page_eval`` or
    ``tb.tab_eval`` bound to a window/tab): ``{version, url, dark, violations, incomplete, passes}``."""
    return json.loads(evaluate(_axe_code(axe_source()), timeout=timeout, awaits=True))


def describe(label: str, result: dict) -> str:
    """Each violation: id, impact, help, and the failing nodes' targets (with axe's summary)."""
    lines = [f"{label}: {len(result['violations'])} axe-core {result.get('version')} violation(s) on "
             f"{result.get('url')} ({'dark' if result.get('dark') else 'light'})"]
    for v in result["violations"]:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for n in v["nodes"]:
            summary = " ".join((n.get("summary") or "").split())
            lines.append(f"    {' > '.join(map(str, n['target']))}: {summary}")
    return "\n".join(lines)


# -- colour scheme ----------------------------------------------------------------------------
# Thunderbird 140 and 153 give add-on pages (windows and tabs) the system's scheme: the
# look-and-feel pref ui.systemUsesDarkTheme switches them at run time.
# (layout.css.prefers-color-scheme.content-override does not reach moz-extension pages.)

def set_dark(tb, dark: bool | None) -> None:
    """``True``/``False``: dark/light; ``None``: back to the default."""
    if dark is None:
        tb._main().execute("Services.prefs.clearUserPref('ui.systemUsesDarkTheme'); return true;")
    else:
        tb._main().execute("Services.prefs.setIntPref('ui.systemUsesDarkTheme', arguments[0]); return true;",
                           [1 if dark else 0])


def wait_scheme(evaluate, dark: bool, timeout: float = 10.0) -> None:
    """Wait until the page's ``prefers-color-scheme`` matches ``dark``."""
    query = "dark" if dark else "light"
    deadline = time.monotonic() + timeout
    while True:
        if evaluate(f"return window.matchMedia('(prefers-color-scheme: {query})').matches;"):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the page did not switch to prefers-color-scheme: {query}")
        time.sleep(0.1)


# -- real keys --------------------------------------------------------------------------------

KEYS = {"Tab": "\ue004", "Shift": "\ue008"}


def press(tb, keys: list[str], popup_bcid: int | None = None) -> None:
    """Real key presses (WebDriver:PerformActions) in a popup's chrome window, or the main window.
    A key ``"Shift+Tab"`` holds Shift."""
    actions = []
    for key in keys:
        parts = [KEYS.get(k, k) for k in key.split("+")]
        actions += [{"type": "keyDown", "value": k} for k in parts]
        actions += [{"type": "keyUp", "value": k} for k in reversed(parts)]
    mn = tb._main()
    if popup_bcid is not None:
        handle = tb._find_handle(popup_bcid)
        assert handle, f"no Marionette window handle for popup {popup_bcid}"
    try:
        mn.send("WebDriver:PerformActions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        mn.send("WebDriver:ReleaseActions")
    finally:
        if popup_bcid is not None:
            tb._back_to_main()


_JS_FOCUS_TAB = r"""
const [tabId] = arguments;
for (const w of Services.wm.getEnumerator("mail:3pane")) {
  for (const t of (w.gTabmail ? w.gTabmail.tabInfo : [])) {
    const b = t.browser || t.linkedBrowser || null;
    if (t.tabId === tabId && b) { w.focus(); w.gTabmail.switchToTab(t); b.focus(); return true; }
  }
}
return false;
"""


def focus_tab(tb, tab_id: int) -> None:
    """Give the keyboard to a tab's page (its <browser> focused in the main window), as a click would."""
    assert tb._main().execute(_JS_FOCUS_TAB, [tab_id]), f"no tab {tab_id} to focus"


_JS_FOCUSED = r"""
const a = document.activeElement;
if (!a || a === document.body || a === document.documentElement) return null;
return a.id || ("." + String(a.className).trim().split(/\s+/).join("."));
"""


def focused(evaluate):
    """The focused element of the page: its id, ``.class.names`` without one, ``None`` for none."""
    return evaluate(_JS_FOCUSED)


def press_and_read(tb, evaluate, key: str, before, popup_bcid: int | None = None, timeout: float = 2.0):
    """Presses ``key`` and returns where focus is then. The key reaches the page's process after
    the call returns, so this waits (up to ``timeout``) for focus to leave ``before``; reading at
    once sometimes saw the old element, or two presses as one."""
    press(tb, [key], popup_bcid)
    deadline = time.monotonic() + timeout
    while True:
        now = focused(evaluate)
        if now != before or time.monotonic() > deadline:
            return now
        time.sleep(0.05)


def tab_cycle(tb, evaluate, popup_bcid: int | None = None, key: str = "Tab", limit: int = 20) -> list[str | None]:
    """Press ``key`` until focus comes back to where it started: the focused elements met on the way
    (``None`` where focus left the page's elements, e.g. to the document between the last and the first)."""
    start = focused(evaluate)
    seen = []
    now = start
    for _ in range(limit):
        now = press_and_read(tb, evaluate, key, now, popup_bcid)
        if now == start:
            return seen
        seen.append(now)
    raise AssertionError(f"{key} never brought focus back to {start!r}: {seen}")


# Every control a keyboard user must reach: enabled, shown buttons/inputs, in document order.
# The Tab stops of a page, forwards and backwards, in document order: every enabled, shown control,
# but a radio group is one stop: its checked radio, or with none checked its first one, from either
# side (what Thunderbird's Gecko does, seen on 153 headless).
JS_TAB_STOPS = r"""
const shown = (el) => !el.hidden && el.getClientRects().length > 0 && window.getComputedStyle(el).visibility !== "hidden";
const controls = [...document.querySelectorAll("button, input, select, textarea, a[href]")].filter((el) => !el.disabled && shown(el));
const stops = (backwards) => {
  const out = [];
  const done = new Set();
  for (const el of controls) {
    if (el.type !== "radio" || !el.name) { out.push(el.id); continue; }
    if (done.has(el.name)) continue;
    done.add(el.name);
    const group = controls.filter((r) => r.type === "radio" && r.name === el.name);
    const stop = group.find((r) => r.checked) ?? group[0];
    out.push(stop.id);
  }
  return out;
};
return {forward: stops(false), backward: stops(true)};
"""

JS_OPERABLE = r"""
const shown = (el) => !el.hidden && el.getClientRects().length > 0 && window.getComputedStyle(el).visibility !== "hidden";
const operable = [...document.querySelectorAll("button, input, select, textarea, a[href]")]
  .filter((el) => !el.disabled && shown(el));
// A group of radio buttons is one Tab stop (HTML): its checked radio, or its first when none is.
const stop = (el) => {
  if (el.type !== "radio" || !el.name) return true;
  const group = operable.filter((r) => r.type === "radio" && r.name === el.name && r.form === el.form);
  return el === (group.find((r) => r.checked) ?? group[0]);
};
return operable.filter(stop).map((el) => el.id);
"""
