"""D/B: permissions. (1) messages.send requested from a click on an extension page (user input),
accepted in Thunderbird's prompt; (2) temporary add-ons with one permission each, to see which
messages.* members exist; (3) DSN parameters and getComposeState.  Usage: permissions.py NAME [TB]."""
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from common import api, show, start

MAIL_ID = "ccguard-e2e-mail@tests.invalid"
JS_PANEL = r"""
const pn = Services.wm.getMostRecentWindow("mail:3pane").PopupNotifications;
return {state: pn?.panel?.state, notifications: pn ? [...pn.panel.children].map(c => ({id: c.id,
  text: c.textContent.slice(0, 400), buttons: [c.getAttribute("buttonlabel"), c.getAttribute("secondarybuttonlabel")]})) : null};
"""
JS_ACCEPT = r"""
const c = Services.wm.getMostRecentWindow("mail:3pane").PopupNotifications.panel.firstElementChild;
if (!c) return false;
c.button.click();
return true;
"""
JS_INSTALL_TEMP = r"""
const [dir, resolve] = arguments;
const {AddonManager} = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
const file = Cc["@mozilla.org/file/local;1"].createInstance(Ci.nsIFile); file.initWithPath(dir);
AddonManager.installTemporaryAddon(file).then(async addon => {
  await new Promise(r => setTimeout(r, 1500));
  const ext = WebExtensionPolicy.getByID(addon.id).extension;
  resolve({id: addon.id, warnings: ext.warnings.map(w => w.slice(0, 120)), granted: addon.userPermissions.permissions});
}, e => resolve({error: String(e)}));
"""
PROBE_JS = """const m = messenger.messages;
console.log("PERMPROBE", JSON.stringify({name: messenger.runtime.getManifest().name, messages: typeof m,
  get: typeof m?.get, query: typeof m?.query, getHeaders: typeof m?.getHeaders, sendMessage: typeof m?.sendMessage,
  onNewMailReceived: typeof m?.onNewMailReceived, folders: typeof messenger.folders}));
"""


def temp_addon(root: Path, name: str, permissions: list[str]) -> Path:
    d = root / name
    d.mkdir()
    (d / "manifest.json").write_text(json.dumps({
        "manifest_version": 3, "name": name, "version": "1.0",
        "browser_specific_settings": {"gecko": {"id": f"{name}@tests.invalid"}},
        "permissions": permissions, "background": {"scripts": ["bg.js"]}}))
    (d / "bg.js").write_text(PROBE_JS)
    return d


if len(sys.argv) > 2:
    os.environ["THUNDERBIRD"] = sys.argv[2]
tb = start(sys.argv[1])
try:
    # (1) The real request flow.
    tab = tb.open_extension_tab(MAIL_ID, "request.html")
    time.sleep(1.5)
    tb.tab_eval(tab["tabId"], "document.getElementById('request').click(); return true;")
    time.sleep(1.5)
    show("prompt after the click", tb._main().execute(JS_PANEL))
    show("accepted", tb._main().execute(JS_ACCEPT))
    time.sleep(1.5)
    show("page result", tb.tab_eval(tab["tabId"], "return document.getElementById('out').textContent;"))
    show("permissions.getAll", api(tb, "permissions.getAll")["value"]["permissions"])
    # (2) One permission each.
    with tempfile.TemporaryDirectory() as tmp:
        for name, perms in (("perm-messagesread", ["messagesRead"]), ("perm-accountsread", ["accountsRead"]),
                            ("perm-both", ["messagesRead", "accountsRead"]), ("perm-send-required", ["messages.send", "messagesRead"])):
            show(name, tb._main().execute_async(JS_INSTALL_TEMP, [str(temp_addon(Path(tmp), name, perms))], timeout=30))
        time.sleep(1)
        show("what each saw", [l.split("PERMPROBE", 1)[1] for l in tb.log_path.read_text(errors="replace").splitlines() if "PERMPROBE" in l])
    # (3) DSN and getComposeState.
    if tb.major_version() >= 153:
        tb.sink.ehlo_extra = ["DSN"]
        tb.mail.call("sendBackground", details={"to": ["t@customer.example"], "subject": "dsn", "plainTextBody": "x",
                                                "deliveryStatusNotification": True})
        time.sleep(1)
        show("DSN on the wire", [l.decode() for l in tb.sink.transcript if l.startswith((b"MAIL", b"RCPT"))])
    tab = api(tb, "compose.beginNew", {"to": ["t@customer.example"], "subject": "s", "plainTextBody": "x"})["value"]["id"]
    time.sleep(1)
    show("getComposeState (nothing held)", api(tb, "compose.getComposeState", tab))
    api(tb, "tabs.remove", tab)
finally:
    tb.stop()
