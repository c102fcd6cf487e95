"""Start/stop a headless Thunderbird with a throw-away profile, and drive its chrome through Marionette."""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from .installation import PolicyInstallation
from .driver import (DRIVER_ID, MAIL_ID, PROBE_ID, DriverServer, build_driver_xpi, build_mail_xpi,
                     build_probe_xpi)
from .marionette import Marionette
from .pop3_server import Pop3Server
from .profile import make_profile
from .smtp_sink import SmtpSink

CCGUARD_ID = "ccguard@ccguard.org"
POPUP_TYPE = "mail:extensionPopup"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def thunderbird_binary() -> str:
    exe = os.environ.get("THUNDERBIRD") or shutil.which("thunderbird")
    if not exe:
        raise RuntimeError("Thunderbird not found (set THUNDERBIRD or install the thunderbird package)")
    return exe


# JS run in Marionette's chrome context. ``arguments`` ends with the resolve callback.
_JS_POPUPS = r"""
const out = [];
for (const win of Services.wm.getEnumerator(arguments[0])) {
  const b = win.document.getElementById("requestFrame");
  out.push({
    bcid: win.browsingContext.id,
    title: win.document.title,
    url: b && b.currentURI ? b.currentURI.spec : "",
    closed: win.closed,
  });
}
return out;
"""

# Shared tail of the frame-script evaluators: ``browser`` (a remote <browser>), ``bcid``, ``code``,
# ``timeoutMs`` and ``resolve`` are set by the head that found the browser.
_JS_FRAME_SCRIPT_EVAL = r"""
const mm = browser.messageManager;
const name = "ccguard-e2e:" + bcid + ":" + Math.random();
let timer = null;
const listener = (msg) => { mm.removeMessageListener(name, listener); clearTimeout(timer); resolve(msg.data); };
mm.addMessageListener(name, listener);
timer = setTimeout(() => { mm.removeMessageListener(name, listener); resolve({ok: false, error: "frame script gave no answer"}); }, timeoutMs);
// With ``awaits``, a returned Promise is waited for and its value (or rejection) is the answer.
const script = `(function () {
  const send = (r) => sendAsyncMessage(${JSON.stringify(name)}, r);
  const failed = (e) => ({ok: false, error: String(e) + " @ " + (e && e.stack)});
  let r;
  try {
    const window = content, document = content.document;
    r = {ok: true, value: (function () { ${code} })()};
  } catch (e) { r = failed(e); }
  if (${awaits ? "true" : "false"} && r.ok) {
    Promise.resolve(r.value).then((value) => send({ok: true, value}), (e) => send(failed(e)));
  } else {
    send(r);
  }
})();`;
mm.loadFrameScript("data:," + encodeURIComponent(script), false);
"""

_JS_PAGE_EVAL = r"""
const [windowType, bcid, code, timeoutMs, awaits, resolve] = arguments;
let win = null;
for (const w of Services.wm.getEnumerator(windowType)) if (w.browsingContext.id == bcid) win = w;
if (!win || win.closed) { resolve({ok: false, gone: true, error: "window " + bcid + " is gone"}); return; }
const browser = win.document.getElementById("requestFrame");
if (!browser || !browser.messageManager) { resolve({ok: false, error: "no remote browser in window"}); return; }""" + _JS_FRAME_SCRIPT_EVAL

# The same, in the <browser> of a tab of the main window (a content tab such as an options page).
_JS_TAB_EVAL = r"""
const [tabId, code, timeoutMs, awaits, resolve] = arguments;
let browser = null;
for (const w of Services.wm.getEnumerator("mail:3pane")) {
  for (const t of (w.gTabmail ? w.gTabmail.tabInfo : [])) {
    if (t.tabId === tabId) browser = t.browser || t.linkedBrowser || null;
  }
}
if (!browser) { resolve({ok: false, gone: true, error: "tab " + tabId + " is gone"}); return; }
if (!browser.messageManager) { resolve({ok: false, error: "tab " + tabId + " has no message manager"}); return; }
const bcid = "tab" + tabId;""" + _JS_FRAME_SCRIPT_EVAL

# Opens an add-on's page in a content tab of the main window, as a user would see it.
_JS_OPEN_EXTENSION_TAB = r"""
const [addonId, path] = arguments;
const policy = WebExtensionPolicy.getByID(addonId);
if (!policy) return {error: "add-on " + addonId + " is not running"};
const url = policy.getURL(path);
const win = Services.wm.getMostRecentWindow("mail:3pane");
if (!win || !win.openTab) return {error: "no main window to open " + url + " in"};
const tab = win.openTab("contentTab", {url, background: false});
if (!tab || typeof tab.tabId !== "number") return {error: "openTab gave no tab for " + url};
return {tabId: tab.tabId, url};
"""

# ``[{tabId, mode, url, busy}]`` of every tab of the main windows.
_JS_TABS = r"""
const out = [];
for (const w of Services.wm.getEnumerator("mail:3pane")) {
  for (const t of (w.gTabmail ? w.gTabmail.tabInfo : [])) {
    const b = t.browser || t.linkedBrowser || null;
    out.push({tabId: t.tabId, mode: t.mode && t.mode.name, url: b && b.currentURI ? b.currentURI.spec : "",
              busy: Boolean(t.busy), remote: Boolean(b && b.isRemoteBrowser)});
  }
}
return out;
"""

_JS_CLOSE_TAB = r"""
const [tabId] = arguments;
for (const w of Services.wm.getEnumerator("mail:3pane")) {
  for (const t of (w.gTabmail ? w.gTabmail.tabInfo : [])) {
    if (t.tabId === tabId) { w.gTabmail.closeTab(t); return true; }
  }
}
return false;
"""

_JS_CLOSE_POPUP = r"""
const [windowType, bcid] = arguments;
for (const w of Services.wm.getEnumerator(windowType)) if (w.browsingContext.id == bcid) { w.close(); return true; }
return false;
"""

_JS_ADDON = r"""
const [id, resolve] = arguments;
const {AddonManager} = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
AddonManager.getAddonByID(id).then(a => resolve(a ? {
  id: a.id, version: a.version, isActive: a.isActive, appDisabled: a.appDisabled,
  userDisabled: a.userDisabled, signedState: a.signedState, name: a.name,
  // What the Add-ons Manager lets the user do with it (enterprise policies take these away).
  canUninstall: Boolean(a.permissions & AddonManager.PERM_CAN_UNINSTALL),
  canDisable: Boolean(a.permissions & AddonManager.PERM_CAN_DISABLE),
  scope: a.scope,
  sourceURI: a.sourceURI ? a.sourceURI.spec : null,
  installSource: a.installTelemetryInfo ? a.installTelemetryInfo.source || null : null,
} : null), e => resolve({error: String(e)}));
"""

# What Thunderbird made of its enterprise policies, and where it looked for them.
_JS_POLICIES = r"""
const [addonId] = arguments;
const dir = (key) => { try { return Services.dirsvc.get(key, Ci.nsIFile).path; } catch (e) { return null; } };
const p = Services.policies;
const names = {[p.INACTIVE]: "inactive", [p.ACTIVE]: "active", [p.FAILED]: "failed"};
return {
  status: names[p.status] ?? String(p.status),
  active: p.getActivePolicies() ?? null,
  extensionPolicy: p.getExtensionPolicy(addonId),
  uninstallAllowed: p.isAllowed("uninstall-extension:" + addonId),
  disableAllowed: p.isAllowed("disable-extension:" + addonId),
  appDist: dir("XREAppDist"),
  greDir: dir("GreD"),
  sysConfDir: dir("SysConfD"),
};
"""

# Thunderbird's own Add-ons Manager (about:addons, a parent-process page in a tab): what its card of
# an add-on offers the user. ``null`` until the list view shows that card.
_JS_OPEN_ADDONS_MANAGER = r"""
const win = Services.wm.getMostRecentWindow("mail:3pane");
if (!win || !win.openAddonsMgr) return {error: "no main window with openAddonsMgr"};
win.openAddonsMgr("addons://list/extension");
return true;
"""

_JS_ADDON_CARD = r"""
const [id] = arguments;
for (const w of Services.wm.getEnumerator("mail:3pane")) {
  for (const t of (w.gTabmail ? w.gTabmail.tabInfo : [])) {
    const b = t.browser || t.linkedBrowser || null;
    if (!b || !b.currentURI || !b.currentURI.spec.startsWith("about:addons") || !b.contentDocument) continue;
    const card = b.contentDocument.querySelector(`addon-card[addon-id="${id}"]`);
    const toggle = card && card.querySelector('[action="toggle-disabled"]');
    const remove = card && card.querySelector('panel-item[action="remove"]');
    if (!toggle || !remove) return null;
    return {tabId: t.tabId, toggleShown: !toggle.hidden, enabled: Boolean(toggle.pressed),
            removeShown: !remove.hidden, removeDisabled: Boolean(remove.disabled),
            removeLabel: remove.getAttribute("data-l10n-id")};
  }
}
return null;
"""

_JS_MY_BCID = "return window.browsingContext.id;"

# Grants permissions to an installed add-on the way an accepted permissions.request() does (an
# "optional only" permission such as messages.send cannot be granted at install time).
_JS_GRANT = r"""
const [id, permissions, resolve] = arguments;
const {ExtensionPermissions} = ChromeUtils.importESModule("resource://gre/modules/ExtensionPermissions.sys.mjs");
const policy = WebExtensionPolicy.getByID(id);
ExtensionPermissions.add(id, {permissions, origins: []}, policy && policy.extension)
  .then(() => ExtensionPermissions.get(id)).then(p => resolve(p.permissions), e => resolve({error: String(e)}));
"""

# Starts an add-on's MV3 event page now (Thunderbird may leave it primed until its first event).
_JS_WAKE_BACKGROUND = r"""
const [id, resolve] = arguments;
const ext = WebExtensionPolicy.getByID(id)?.extension;
if (!ext || !ext.wakeupBackground) { resolve(null); return; }
Promise.resolve(ext.wakeupBackground()).then(() => resolve(String(ext.backgroundState)), (e) => resolve("error: " + e));
"""

# State of an add-on's background page: "running", "stopped", ... (MV3 event pages stop when idle).
_JS_BACKGROUND_STATE = r"""
const policy = WebExtensionPolicy.getByID(arguments[0]);
const ext = policy && policy.extension;
return ext ? String(ext.backgroundState) : null;
"""

# Makes the POP3 account fetch its mail now, as the Get Messages button does.
_JS_GET_NEW_MAIL = r"""
const [serverKey, password, resolve] = arguments;
const {MailServices} = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const server = MailServices.accounts.getIncomingServer(serverKey);
if (password != null) server.password = password;
const inbox = server.rootFolder.getFolderWithFlags(Ci.nsMsgFolderFlags.Inbox);
server.getNewMessages(inbox, null, {
  OnStartRunningUrl() {},
  OnStopRunningUrl(url, status) { resolve({status, inbox: inbox.URI, total: inbox.getTotalMessages(false)}); },
});
"""

_JS_CLOSE_COMPOSE = r"""
let n = 0;
for (const w of Services.wm.getEnumerator("msgcompose")) {
  try { if (w.gMsgCompose) w.gMsgCompose.bodyModified = false; } catch (e) {}
  try { w.gContentChanged = false; } catch (e) {}
  w.close(); n++;
}
return n;
"""


class Thunderbird:
    """One running Thunderbird: profile, SMTP sink, driver command server and a chrome Marionette session."""

    def __init__(self, name: str, artifacts: Path, xpi: Path | None, extra_prefs: dict | None = None,
                 probe: bool = False, policies: dict | None = None, mail: bool = False, pop3: bool = False):
        """``probe``: also side-load the MV3 probe (probe_ext/ + extension/lists.js, identities.js),
        reachable as ``self.probe`` (a DriverServer). Its event page must not idle out: give such an
        instance a long ``extensions.background.idle.timeout``.

        ``policies``: Thunderbird's enterprise policies (the object under ``"policies"`` of
        policies.json). The instance then runs from a hard-linked copy of the installation with
        ``distribution/policies.json`` (harness/installation.py); ``xpi=None`` side-loads no CcGuard
        (for a policy that force-installs it).

        ``mail``: also side-load the MV3 mail helper (mail_ext/), reachable as ``self.mail``.
        ``pop3``: point the account's POP3 server at a loopback ``self.pop3`` (Pop3Server); mail is
        fetched only when a test calls ``get_new_mail()``."""
        self.name = name
        self.dir = artifacts / name
        self.xpi = xpi
        self.extra_prefs = extra_prefs or {}
        self.proc: subprocess.Popen | None = None
        self.sink = SmtpSink()
        self.driver = DriverServer()
        self.probe: DriverServer | None = DriverServer() if probe else None
        self.mail: DriverServer | None = DriverServer() if mail else None
        self.pop3: Pop3Server | None = Pop3Server() if pop3 else None
        self.mn: Marionette | None = None
        self.log_path = self.dir / "thunderbird.log"
        self.main_handle: str | None = None
        self.startup_seconds = 0.0
        self.policies = policies
        self.installation: PolicyInstallation | None = None
        # Set by stop() if Thunderbird changed its installation copy (it must not write there).
        self.installation_error: str | None = None

    # -- life cycle -----------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> "Thunderbird":
        t0 = time.monotonic()
        self.dir.mkdir(parents=True, exist_ok=True)
        exe = thunderbird_binary()
        if self.policies is not None:  # first: nothing is running yet if the copy cannot be made
            self.installation = PolicyInstallation(exe, self.dir / "install", self.policies).make()
            exe = str(self.installation.binary)
        self.sink.start()
        self.driver.start()
        xpis = {DRIVER_ID: build_driver_xpi(self.driver.port, self.dir / "driver.xpi")}
        if self.probe is not None:
            self.probe.start()
            xpis[PROBE_ID] = build_probe_xpi(self.probe.port, self.dir / "probe.xpi")
        if self.mail is not None:
            self.mail.start()
            xpis[MAIL_ID] = build_mail_xpi(self.mail.port, self.dir / "mail.xpi")
        prefs = dict(self.extra_prefs)
        if self.pop3 is not None:
            self.pop3.start()
            prefs = {"mail.server.server1.port": self.pop3.port, "mail.server.server1.userName": self.pop3.user,
                     "mail.server.server1.authMethod": 3, "mail.server.server1.socketType": 0,
                     "mail.server.server1.leave_on_server": False, **prefs}
        if self.xpi is not None:
            xpis[CCGUARD_ID] = self.xpi
        self.marionette_port = free_port()
        profile = make_profile(self.dir / "profile", self.sink.port, self.marionette_port, xpis, prefs)
        # A temp folder of its own: Thunderbird writes the outgoing message to TMPDIR, and a
        # shared /tmp let another Thunderbird on the machine clean it away mid-send
        # (SmtpServer NS_ERROR_FILE_NOT_FOUND).
        tmp = self.dir / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, MOZ_HEADLESS="1", MOZ_CRASHREPORTER_DISABLE="1", MOZ_CRASHREPORTER="0",
                   MOZ_DISABLE_AUTO_SAFE_MODE="1", TMPDIR=str(tmp))
        self._log = open(self.log_path, "wb")
        self._launch = ([exe, "--headless", "--no-remote", "--profile", str(profile),
                         "--marionette", "--remote-allow-system-access"], env)
        try:
            self._spawn(timeout)
            self.driver.wait_connected(max(5.0, timeout - (time.monotonic() - t0)), self.proc)
            self.driver.call("ping", timeout=20)
            if self.probe is not None:
                self.probe.wait_connected(max(5.0, timeout - (time.monotonic() - t0)), self.proc)
                self.probe.call("ping", timeout=20)
            if self.mail is not None:
                self.mail.wait_connected(max(5.0, timeout - (time.monotonic() - t0)), self.proc)
                self.mail.call("ping", timeout=20)
            if self.xpi is not None:
                self.wait_addon_active(CCGUARD_ID, timeout=30)
                self._settle_install_page()
        except Exception as e:
            self.stop()
            raise RuntimeError(f"Thunderbird {self.name!r} did not start: {e}\n"
                               f"--- log tail ({self.log_path}) ---\n{self.log_tail()}") from e
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - t0
        return self

    def _spawn(self, timeout: float) -> None:
        """Runs Thunderbird on the prepared profile and connects Marionette (chrome context)."""
        args, env = self._launch
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                                     env=env, start_new_session=True)
        atexit.register(self._kill_group)  # even if pytest dies before the fixtures' teardown
        self.mn = Marionette("127.0.0.1", self.marionette_port, connect_timeout=timeout, proc=self.proc)
        self.mn.start_session()
        self.mn.set_context("chrome")
        self.main_handle = self.mn.send("WebDriver:GetWindowHandle")
        if isinstance(self.main_handle, dict):
            self.main_handle = self.main_handle.get("value")

    def restart(self, timeout: float = 90.0, kill: bool = False) -> None:
        """Ends Thunderbird and starts it again on the same profile, with the same servers and
        ports: the next start sees what survived (storage, granted permissions, the listeners
        add-ons had). ``kill``: SIGKILL, as a crash or a power cut; else a quit without questions."""
        assert self.proc is not None and self.mn is not None, "Thunderbird is not running"
        if kill:
            self._kill_group()
        else:
            try:
                self.mn.send("Marionette:Quit", {"flags": ["eForceQuit"]}, timeout=30)
            except Exception:
                pass
        self.mn.close()
        self.mn = None
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._kill_group()
            self.proc.wait(timeout=10)
        atexit.unregister(self._kill_group)
        self._spawn(timeout)
        # A long-poll of the quit Thunderbird's driver may still take the first command and lose it.
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.driver.call("ping", timeout=10)
                break
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise

    def _settle_install_page(self) -> None:
        """CcGuard opens its options page in a tab when installed, asking what each address is
        used for (extension/firstrun.js). Thunderbird runs that at the first start of CcGuard's
        event page, which may come only with a test's first event and then replace the tab the
        test opened: start the page now, note whether that tab came (``install_page_opened``),
        and close it."""
        self.install_page_opened = False
        self._main().execute_async(_JS_WAKE_BACKGROUND, [CCGUARD_ID], timeout=20)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            tabs = [t for t in self.tabs() if (t["url"] or "").endswith("/options/options.html")]
            if tabs:
                self.install_page_opened = True
                for t in tabs:
                    self.close_tab(t["tabId"])
                return
            time.sleep(0.1)

    def _kill_group(self) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def stop(self) -> None:
        if self.mn is not None:
            try:
                self.mn.send("Marionette:Quit", {"flags": ["eForceQuit"]}, timeout=10)
            except Exception:
                pass
            self.mn.close()
            self.mn = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if self.proc.poll() is not None:
                    break
                try:
                    os.killpg(self.proc.pid, sig)  # the group of the process we started
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            # Content processes are in the same session/group; make sure none is left behind.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            atexit.unregister(self._kill_group)
            self.proc = None
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None
        if self.installation is not None:
            try:
                self.installation.check_untouched()
            except AssertionError as e:
                self.installation_error = str(e)
            self.installation.remove()
            self.installation = None
        for stop in (self.sink.stop, self.driver.stop,
                     *(x.stop for x in (self.probe, self.mail, self.pop3) if x is not None)):
            try:
                stop()
            except Exception:
                pass

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # -- chrome helpers -------------------------------------------------------------------
    def _main(self) -> Marionette:
        assert self.mn is not None, "Thunderbird is not running"
        return self.mn

    def addon(self, gecko_id: str) -> dict | None:
        return self._main().execute_async(_JS_ADDON, [gecko_id], timeout=20)

    def major_version(self) -> int:
        """Thunderbird's major version, e.g. 153."""
        if getattr(self, "_major", None) is None:
            self._major = int(str(self._main().execute("return Services.appinfo.version;")).split(".")[0])
        return self._major

    def grant_permissions(self, gecko_id: str, permissions: list[str]) -> list[str]:
        """Grant (optional) API permissions as if the user accepted them; returns the granted list."""
        out = self._main().execute_async(_JS_GRANT, [gecko_id, permissions], timeout=20)
        if isinstance(out, dict) and out.get("error"):
            raise AssertionError(f"could not grant {permissions} to {gecko_id}: {out['error']}")
        return out

    def background_state(self, gecko_id: str) -> str | None:
        return self._main().execute(_JS_BACKGROUND_STATE, [gecko_id])

    def get_new_mail(self, server_key: str = "server1", timeout: float = 30.0) -> dict:
        """Fetch mail for the POP3 account now (``self.pop3``'s password); ``{status, inbox, total}``."""
        password = self.pop3.password if self.pop3 is not None else None
        return self._main().execute_async(_JS_GET_NEW_MAIL, [server_key, password], timeout=timeout)

    def policies_state(self, addon_id: str = CCGUARD_ID) -> dict:
        """``Services.policies`` as Thunderbird sees it: ``{status, active, extensionPolicy,
        uninstallAllowed, disableAllowed, appDist, greDir, sysConfDir}``."""
        return self._main().execute(_JS_POLICIES, [addon_id])

    def wait_addon_active(self, gecko_id: str, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        info = None
        while time.monotonic() < deadline:
            info = self.addon(gecko_id)
            if info and info.get("isActive"):
                return info
            time.sleep(0.25)
        raise AssertionError(f"add-on {gecko_id} is not active after {timeout:.0f}s: {info}\n"
                             f"--- log tail ({self.log_path}) ---\n{self.log_tail()}")

    def popups(self) -> list[dict]:
        """Open extension popup windows: ``[{bcid, title, url}]``."""
        return [p for p in self._main().execute(_JS_POPUPS, [POPUP_TYPE]) if not p["closed"]]

    def page_eval(self, bcid: int, code: str, timeout: float = 10.0, awaits: bool = False):
        """Run ``code`` (a function body; ``document``/``window`` are the page's) in a popup's page.
        With ``awaits``, a Promise it returns is waited for (up to ``timeout``)."""
        out = self._main().execute_async(_JS_PAGE_EVAL, [POPUP_TYPE, bcid, code, int(timeout * 1000), awaits],
                                         timeout=timeout + 5)
        if not out.get("ok"):
            raise AssertionError(f"page_eval in popup {bcid} failed: {out.get('error')}")
        return out.get("value")

    def close_popup_chrome(self, bcid: int) -> bool:
        return bool(self._main().execute(_JS_CLOSE_POPUP, [POPUP_TYPE, bcid]))

    def _find_handle(self, bcid: int) -> str | None:
        mn = self._main()
        try:
            for handle in mn.window_handles():
                mn.switch_to_window(handle)
                if mn.execute(_JS_MY_BCID) == bcid:
                    return handle
            return None
        finally:
            pass

    def _back_to_main(self) -> None:
        try:
            self._main().switch_to_window(self.main_handle)
        except Exception:
            handles = self._main().window_handles()
            self._main().switch_to_window(handles[0])

    def close_window_webdriver(self, bcid: int) -> None:
        """Close a popup the way a user would (WebDriver:CloseChromeWindow on that chrome window)."""
        handle = self._find_handle(bcid)
        try:
            assert handle, f"no Marionette window handle for popup {bcid}"
            self._main().close_chrome_window()
        finally:
            self._back_to_main()

    def screenshot(self, bcid: int) -> bytes:
        handle = self._find_handle(bcid)
        try:
            assert handle, f"no Marionette window handle for popup {bcid}"
            return self._main().screenshot_png()
        finally:
            self._back_to_main()

    def screenshot_main(self) -> bytes:
        """The main window as shown (e.g. with an extension page in its selected tab)."""
        return self._main().screenshot_png()

    # -- content tabs (e.g. an add-on's options page) --------------------------------------
    def open_extension_tab(self, addon_id: str, path: str) -> dict:
        """Open ``moz-extension://<addon>/<path>`` in a tab of the main window: ``{tabId, url}``."""
        out = self._main().execute(_JS_OPEN_EXTENSION_TAB, [addon_id, path])
        if not out or out.get("error"):
            raise AssertionError(f"could not open {path} of {addon_id}: {out}")
        return out

    def tabs(self) -> list[dict]:
        """Tabs of the main window(s): ``[{tabId, mode, url, busy, remote}]``."""
        return self._main().execute(_JS_TABS)

    def tab_eval(self, tab_id: int, code: str, timeout: float = 10.0, awaits: bool = False):
        """Like ``page_eval``, in the page shown by a tab of the main window."""
        out = self._main().execute_async(_JS_TAB_EVAL, [tab_id, code, int(timeout * 1000), awaits],
                                         timeout=timeout + 5)
        if not out.get("ok"):
            raise AssertionError(f"tab_eval in tab {tab_id} failed: {out.get('error')}")
        return out.get("value")

    def close_tab(self, tab_id: int) -> bool:
        return bool(self._main().execute(_JS_CLOSE_TAB, [tab_id]))

    def addons_manager_card(self, addon_id: str, timeout: float = 20.0) -> dict:
        """Opens Thunderbird's Add-ons Manager on the extension list and reads ``addon_id``'s card:
        ``{toggleShown, enabled, removeShown, removeDisabled, removeLabel}``; closes the tab again."""
        opened = self._main().execute(_JS_OPEN_ADDONS_MANAGER)
        assert opened is True, f"could not open the Add-ons Manager: {opened}"
        deadline = time.monotonic() + timeout
        card = None
        while card is None:
            card = self._main().execute(_JS_ADDON_CARD, [addon_id])
            if card is None:
                if time.monotonic() > deadline:
                    raise AssertionError(f"the Add-ons Manager shows no card for {addon_id} after {timeout:.0f}s")
                time.sleep(0.2)
        self.close_tab(card.pop("tabId"))
        return card

    def close_compose_windows_chrome(self) -> int:
        return int(self._main().execute(_JS_CLOSE_COMPOSE))

    def close_all_popups(self) -> None:
        for p in self.popups():
            self.close_popup_chrome(p["bcid"])
