"""CcGuard's real options page (extension/options/options.html), opened in a Thunderbird tab.

The page is the add-on's own ``moz-extension://…/options/options.html`` (the page the Add-ons
Manager embeds), shown in a content tab of the main window and driven through a frame script in
that tab's remote <browser>, like the warning window. Nothing here writes storage: every change goes
through the page's field and buttons, so the page's own validation and save/reset code run.
"""
from __future__ import annotations

import json
import uuid

from .scenario import click_button, poll
from .thunderbird import CCGUARD_ID, Thunderbird

OPTIONS_PATH = "options/options.html"

# The setting the single-field checks use: its controls are #externalThreshold-on and
# #externalThreshold (every control's id is its key's name, built from the core's key table).
MAIN_FIELD = "externalThreshold"

# One look at everything the tests assert on.
_JS_SNAPSHOT = r"""
const $ = (id) => document.getElementById(id);
const main = "%s";
const input = $(main), save = $("save"), reset = $("reset"), error = $(`${main}-error`);
const shown = (el) => Boolean(el) && !el.hidden && el.getClientRects().length > 0
  && window.getComputedStyle(el).visibility !== "hidden";
return {
  state: document.body ? document.body.dataset.state : null,
  value: input ? input.value : null,
  ariaInvalid: input ? input.getAttribute("aria-invalid") : null,
  saveDisabled: save ? save.disabled : null,
  resetDisabled: reset ? reset.disabled : null,
  errorShown: shown(error),
  errorText: error ? error.textContent : null,
  status: $("status") ? $("status").textContent : null,
  help: $(`${main}-help`) ? $(`${main}-help`).textContent : null,
  title: document.title,
  // Managed settings: what the organisation set or locked, and the admin values refused.
  locked: document.body ? document.body.dataset.locked || null : null,
  inputDisabled: input ? input.disabled : null,
  lockedShown: shown($(`${main}-locked`)),
  lockedText: $(`${main}-locked`) ? $(`${main}-locked`).textContent : null,
  problemsShown: shown($("managed-problems-section")),
  problems: [...document.querySelectorAll("#managed-problems li")].map((li) => li.textContent),
  // Every setting's control: value (or checked), error and locked state, by element id (a
  // threshold's switch #<key>-on shares them with its number field #<key>).
  fields: Object.fromEntries([...document.querySelectorAll("#form input, #form textarea")].map((el) => {
    const key = el.id.replace(/-on$/, "");
    const err = $(`${key}-error`), lock = $(`${key}-locked`);
    return [el.id, {value: el.type === "checkbox" ? el.checked : el.value, disabled: el.disabled,
      ariaInvalid: el.getAttribute("aria-invalid"), errorShown: shown(err), errorText: err ? err.textContent : null,
      lockedShown: shown(lock)}];
  })),
  // The live preview: one line per sample message.
  preview: [...document.querySelectorAll("#preview li")].map((li) => ({sample: li.dataset.sample,
    warns: li.dataset.warns === "true", rule: li.dataset.rule || null, text: li.textContent})),
};
""" % MAIN_FIELD


class OptionsPage:
    """One open options tab. ``state`` is ``document.body.dataset.state``."""

    def __init__(self, tb: Thunderbird, tab: dict):
        self.tb, self.tab_id, self.url = tb, tab["tabId"], tab["url"]

    @classmethod
    def open(cls, tb: Thunderbird, timeout: float = 20.0) -> "OptionsPage":
        """Open the page in a tab (Thunderbird switches to a tab already showing it, if there is one)."""
        page = cls(tb, tb.open_extension_tab(CCGUARD_ID, OPTIONS_PATH))
        page.wait_loaded(timeout)
        return page

    def __repr__(self) -> str:
        return f"<OptionsPage tab {self.tab_id} {self.url}>"

    def eval(self, code: str, timeout: float = 10.0):
        return self.tb.tab_eval(self.tab_id, code, timeout)

    def is_open(self) -> bool:
        return any(t["tabId"] == self.tab_id for t in self.tb.tabs())

    def wait_loaded(self, timeout: float = 20.0) -> dict:
        """Wait until the tab shows the options page and the page has read the policy (state "ready")."""
        def loaded():
            try:
                snap = self.eval(f"if (document.URL !== {json.dumps(self.url)}) return null;" + _JS_SNAPSHOT,
                                 timeout=3)
            except AssertionError:
                return None  # about:blank or a process switch still under way
            return snap if snap and snap["state"] not in (None, "loading") else None

        snap = poll(loaded, timeout, what=f"the options page in tab {self.tab_id} to load")
        assert snap["state"] == "ready", f"the options page did not come up ready: {snap}"
        return snap

    def snapshot(self) -> dict:
        return self.eval(_JS_SNAPSHOT)

    def state(self) -> str | None:
        return self.snapshot()["state"]

    def wait_state(self, want: str, timeout: float = 15.0) -> dict:
        last = {}

        def reached():
            last.update(self.snapshot())
            return last["state"] == want

        try:
            poll(reached, timeout, interval=0.1, what=f"options page state {want!r}")
        except AssertionError:
            raise AssertionError(f"the options page never reached state {want!r}; it shows {last}") from None
        return dict(last)

    def type(self, text: str, field: str = MAIN_FIELD) -> dict:
        """Replace a field's text as a user would (value + an ``input`` event); return the snapshot.
        ``field`` is the element id, the setting's key: ``externalThreshold``, ``internalDomains``, …"""
        self.eval(
            f"const input = document.getElementById({json.dumps(field)});"
            "input.focus(); input.select();"
            f"input.value = {json.dumps(text)};"
            "input.dispatchEvent(new window.Event('input', {bubbles: true}));"
            "return true;")
        return self.snapshot()

    def switch(self, field: str, on: bool) -> dict:
        """Click a rule's on/off checkbox (``<field>-on``) unless it already is ``on``; return the snapshot."""
        return self.check(field + "-on", on)

    def check(self, box_id: str, on: bool) -> dict:
        """Click the checkbox ``box_id`` (a switch setting such as ``learnGroups``) unless it already
        is ``on``; return the snapshot."""
        self.eval(
            f"const box = document.getElementById({json.dumps(box_id)});"
            f"if (box.checked !== {json.dumps(on)}) box.click();"
            "return true;")
        return self.snapshot()

    def wait_preview(self, predicate, what: str, timeout: float = 10.0) -> dict:
        """Poll until ``predicate(snapshot)`` holds (the preview is computed after each change)."""
        last = {}

        def holds():
            last.update(self.snapshot())
            return predicate(last)

        try:
            poll(holds, timeout, interval=0.1, what=what)
        except AssertionError:
            raise AssertionError(f"{what}: the options page shows {last}") from None
        return dict(last)

    def _click(self, button_id: str) -> None:
        click_button(self.eval, button_id)

    def save(self, timeout: float = 15.0) -> dict:
        """Click Save and wait for state "saved"."""
        before = self.state()
        assert before != "saved", "Save clicked with the page already in state 'saved': type a value first"
        self._click("save")
        return self.wait_state("saved", timeout)

    def reset(self, timeout: float = 15.0) -> dict:
        """Click "Reset to default" and wait for state "reset"."""
        before = self.state()
        assert before != "reset", "Reset clicked with the page already in state 'reset'"
        self._click("reset")
        return self.wait_state("reset", timeout)

    def reload(self, timeout: float = 20.0) -> dict:
        """Load the page again (it reads the stored policy afresh); return its snapshot once ready."""
        origin = self.eval("return window.performance.timeOrigin;")
        self.eval("window.setTimeout(() => window.location.reload(), 0); return true;")

        def new_document():
            try:
                return self.eval("return window.performance.timeOrigin;", timeout=3) != origin
            except AssertionError:
                return False  # between documents

        poll(new_document, timeout, what=f"the options page in tab {self.tab_id} to reload")
        return self.wait_loaded(timeout)

    def close(self) -> None:
        if self.is_open():
            self.tb.close_tab(self.tab_id)
            poll(lambda: not self.is_open(), 10, what=f"options tab {self.tab_id} to close")


# -- storage.local "policy", written and read in the page -------------------------------------

_JS_SET_POLICY = r"""
const [policy, token] = %s;
const w = window.wrappedJSObject;
const root = w.document.documentElement;
delete root.dataset.e2ePolicy;
const done = Components.utils.exportFunction(() => { root.dataset.e2ePolicy = token; }, w);
const failed = Components.utils.exportFunction((e) => { root.dataset.e2ePolicy = "error: " + e; }, w);
w.browser.storage.local.set(Components.utils.cloneInto({policy}, w)).then(done, failed);
return true;
"""

_JS_GET_POLICY = r"""
const [token] = %s;
const w = window.wrappedJSObject;
const root = w.document.documentElement;
delete root.dataset.e2ePolicy;
const done = Components.utils.exportFunction((items) => { root.dataset.e2ePolicy = token + JSON.stringify(items.policy ?? null); }, w);
const failed = Components.utils.exportFunction((e) => { root.dataset.e2ePolicy = "error: " + e; }, w);
w.browser.storage.local.get("policy").then(done, failed);
return true;
"""

_JS_GET_GROUPS = r"""
const [token] = %s;
const w = window.wrappedJSObject;
const root = w.document.documentElement;
delete root.dataset.e2ePolicy;
const done = Components.utils.exportFunction((items) => { root.dataset.e2ePolicy = token + JSON.stringify(items.groups?.groups ?? []); }, w);
const failed = Components.utils.exportFunction((e) => { root.dataset.e2ePolicy = "error: " + e; }, w);
w.browser.storage.local.get("groups").then(done, failed);
return true;
"""

_JS_FORGET_GROUPS = r"""
const [token] = %s;
const w = window.wrappedJSObject;
const root = w.document.documentElement;
delete root.dataset.e2ePolicy;
const done = Components.utils.exportFunction(() => { root.dataset.e2ePolicy = token; }, w);
const failed = Components.utils.exportFunction((e) => { root.dataset.e2ePolicy = "error: " + e; }, w);
w.browser.storage.local.remove("groups").then(done, failed);
return true;
"""


class StoredPolicy:
    """Reads and writes storage.local ``policy`` (what the user stored) from CcGuard's options page, with
    the page's own ``browser.storage`` (the test_rules scenarios set their policy this way)."""

    def __init__(self, page: OptionsPage):
        self.page = page

    def _run(self, script: str, args: list, token: str) -> str:
        self.page.eval(script % json.dumps(args))

        def answered():
            value = self.page.eval("return document.documentElement.dataset.e2ePolicy || null;")
            return value if value and (value.startswith(token) or value.startswith("error:")) else None

        value = poll(answered, 10, what="storage.local to answer in the options page")
        assert not value.startswith("error:"), f"storage.local failed in the options page: {value}"
        return value[len(token):]

    def get(self):
        token = uuid.uuid4().hex
        return json.loads(self._run(_JS_GET_POLICY, [token], token))

    def groups(self) -> list:
        """The known groups CcGuard stored (storage.local ``groups``): ``[{id, members, source, at}]``."""
        token = uuid.uuid4().hex
        return json.loads(self._run(_JS_GET_GROUPS, [token], token))

    def forget_groups(self) -> None:
        """Removes every remembered and learned group (storage.local ``groups``)."""
        token = uuid.uuid4().hex
        self._run(_JS_FORGET_GROUPS, [token], token)

    def set(self, policy: dict) -> None:
        token = uuid.uuid4().hex
        self._run(_JS_SET_POLICY, [policy, token], token)
        stored = self.get()
        assert stored == policy, f"storage.local holds {stored!r} after writing {policy!r}"
