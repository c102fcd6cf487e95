"""F: what "Send separately" relies on besides messages.sendMessage (153): asking for optional
permissions from a popup window, saving the held compose window as a draft and moving that draft
into Sent (the Sent record), storage.local and binary attachments, X-Priority twice.
Usage: separately.py [TB]"""
import base64
import os
import sys
import time

from common import api, show, start

MAIL_ID = "ccguard-e2e-mail@tests.invalid"

JS_FCC = r"""
const [on, resolve] = arguments;
const {MailServices} = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const id = MailServices.accounts.getIdentity("id1");
id.doFcc = on;
if (on) id.fccFolderURI = "mailbox://ann@127.0.0.1/Sent";
resolve({doFcc: id.doFcc, fcc: id.fccFolderURI, drafts: id.draftFolder, draftsUri: id.draftsFolderURI});
"""

# Every PopupNotifications panel of every window: where did the permission prompt go?
JS_PANELS = r"""
const out = [];
for (const w of Services.wm.getEnumerator(null)) {
  const pn = w.PopupNotifications;
  out.push({type: w.document.documentElement.getAttribute("windowtype"), title: w.document.title,
            hasPN: Boolean(pn?.panel), state: pn?.panel?.state ?? null,
            notes: pn?.panel ? [...pn.panel.children].map(c => ({id: c.id, text: c.textContent.slice(0, 300)})) : null});
}
return out;
"""
JS_CLICK = r"""
const [which] = arguments;
for (const w of Services.wm.getEnumerator(null)) {
  const c = w.PopupNotifications?.panel?.firstElementChild;
  if (c) { (which === "accept" ? c.button : c.secondaryButton).click(); return w.document.documentElement.getAttribute("windowtype"); }
}
return null;
"""


def folder(tb, use):
    r = api(tb, "folders.query", {"specialUse": [use]})
    return r["value"] if r["ok"] else r


def messages_in(tb, folder_id):
    r = api(tb, "messages.query", {"folderId": folder_id})
    return [(m["id"], m["subject"], m.get("bccList"), m.get("recipients")) for m in r["value"]["messages"]] if r["ok"] else r


if len(sys.argv) > 1:
    os.environ["THUNDERBIRD"] = sys.argv[1]
tb = start("f153", extra_prefs={"mail.compose.autosave": False})
try:
    show("storage.local round trip", tb.mail.call("storageRoundTrip"))

    # (1) Permissions asked from a click in a popup window (the warning window is one): no prompt.
    win = api(tb, "windows.create", {"type": "popup", "url": "request.html?p=messages.send", "width": 420, "height": 300})
    time.sleep(2)
    pop = [p for p in tb.popups() if "request.html" in p["url"]][-1]
    show("popup: tabmail.selectedBrowser", tb._main().execute(
        "return String(Services.wm.getMostRecentWindow('mail:3pane').document.getElementById('tabmail').selectedBrowser);"))
    tb.page_eval(pop["bcid"], "document.getElementById('request').click(); return true;")
    time.sleep(2)
    show("popup: panels after the click", [p for p in tb._main().execute(JS_PANELS) if p["hasPN"]])
    show("popup: page says (empty: not settled)", tb.page_eval(pop["bcid"], "return document.getElementById('out').textContent;"))
    api(tb, "windows.remove", win["value"]["id"])
    # messages.send together with another permission, from a tab: refused at once.
    tab = tb.open_extension_tab(MAIL_ID, "request.html?p=messages.send,messagesMove")
    time.sleep(1.5)
    tb.tab_eval(tab["tabId"], "document.getElementById('request').click(); return true;")
    time.sleep(1.5)
    show("tab, messages.send with another: page says", tb.tab_eval(tab["tabId"], "return document.getElementById('out').textContent;"))
    tb.close_tab(tab["tabId"])
    # Two requests in one click, from a tab: two prompts, one after the other.
    tab = tb.open_extension_tab(MAIL_ID, "request.html?p=messages.send|messages.save,messagesMove")
    time.sleep(1.5)
    tb.tab_eval(tab["tabId"], "document.getElementById('request').click(); return true;")
    for n in (1, 2):
        time.sleep(1.5)
        show(f"tab: prompt {n}", [p for p in tb._main().execute(JS_PANELS) if p["hasPN"]])
        show(f"tab: accepted in", tb._main().execute(JS_CLICK, ["accept"]))
    time.sleep(1.5)
    show("tab: page says", tb.tab_eval(tab["tabId"], "return document.getElementById('out').textContent;"))
    show("getAll", api(tb, "permissions.getAll")["value"]["permissions"])
    tb.close_tab(tab["tabId"])

    # (2) Folders.
    show("fcc on", tb._main().execute_async(JS_FCC, [True]))
    show("sent before", folder(tb, "sent"))
    show("drafts before", folder(tb, "drafts"))
    accounts = api(tb, "accounts.list", False)["value"]
    pop_account = [a for a in accounts if a["type"] == "pop3"][0]
    show("create Sent under the pop3 root", api(tb, "folders.create", pop_account["rootFolder"]["id"], "Sent"))
    show("sent after create", folder(tb, "sent"))

    # (3) A held compose window: save while held? after cancel? replaces the earlier draft? move to Sent.
    tab = api(tb, "compose.beginNew", {"to": ["Tom <tom@customer.example>"], "cc": ["cc1@customer.example", "Cc Two <cc2@customer.example>"],
                                       "subject": "record", "plainTextBody": "the body"})["value"]["id"]
    time.sleep(1)
    api(tb, "compose.addAttachment", tab, {"file": {"$file": {"name": "a.bin", "type": "application/octet-stream",
                                                             "base64": base64.b64encode(bytes(range(256))).decode()}}})
    show("save draft before (as an autosave would)", api(tb, "compose.saveMessage", tab, {"mode": "draft"}))
    drafts = folder(tb, "drafts")
    show("drafts folder", drafts)
    drafts_id = drafts[0]["id"] if isinstance(drafts, list) and drafts else None
    show("drafts content", messages_in(tb, drafts_id))
    tb.mail.call("hold", on=True)
    p = tb.driver.submit("sendMessage", tabId=tab, options={"mode": "sendNow"})
    tb.mail.wait_event("beforeSend", 1)
    show("held: compose.saveMessage", api(tb, "compose.saveMessage", tab, {"mode": "draft"}, timeout=20))
    show("held: setComposeDetails bcc", api(tb, "compose.setComposeDetails", tab, {"bcc": ["x@customer.example"]}))
    show("held: getComposeDetails bcc", api(tb, "compose.getComposeDetails", tab)["value"]["bcc"])
    tb.mail.call("release", tabId=tab, answer={"cancel": True})
    show("send outcome", p.outcome(30))
    tb.mail.call("hold", on=False)
    everyone = ["Tom <tom@customer.example>", "cc1@customer.example", "Cc Two <cc2@customer.example>"]
    show("after cancel: setComposeDetails to/cc/bcc", api(tb, "compose.setComposeDetails", tab, {"to": [], "cc": [], "bcc": everyone}))
    saved = api(tb, "compose.saveMessage", tab, {"mode": "draft"})
    show("after cancel: compose.saveMessage", saved)
    show("drafts content now", messages_in(tb, drafts_id))
    sent = folder(tb, "sent")
    if saved["ok"] and isinstance(sent, list) and sent:
        ids = [m["id"] for m in saved["value"]["messages"]]
        show("move to Sent", api(tb, "messages.move", ids, sent[0]["id"]))
        time.sleep(1)
        show("sent content", messages_in(tb, sent[0]["id"]))
        show("drafts content after move", messages_in(tb, drafts_id))
        q = api(tb, "messages.query", {"folderId": sent[0]["id"]})["value"]["messages"]
        if q:
            full = api(tb, "messages.getFull", q[-1]["id"])["value"]
            show("record headers", {k: v for k, v in full["headers"].items() if k in ("to", "cc", "bcc", "subject", "from", "x-mozilla-draft-info", "x-priority")})
            show("record attachments", api(tb, "messages.listAttachments", q[-1]["id"]))
    show("tabs.remove", api(tb, "tabs.remove", tab))
    time.sleep(2)
    show("compose windows left", [w for w in tb.driver.call("windows") if w["type"] == "messageCompose"])
    show("drafts content at the end", messages_in(tb, drafts_id))

    # (4) X-Priority: priority high plus the window's own X-Priority custom header.
    tab = api(tb, "compose.beginNew", {"to": ["t@customer.example"], "subject": "prio", "plainTextBody": "x"})["value"]["id"]
    time.sleep(1)
    api(tb, "compose.setComposeDetails", tab, {"priority": "high", "customHeaders": [{"name": "X-Ccguard-Case", "value": "y"}]})
    d = api(tb, "compose.getComposeDetails", tab)["value"]
    show("details priority/customHeaders", {"priority": d.get("priority"), "customHeaders": d.get("customHeaders"), "type": d.get("type"),
                                            "relatedMessageId": d.get("relatedMessageId")})
    before = len(tb.sink.messages)
    r = tb.mail.call("sendBackground", details={"to": ["t2@customer.example"], "subject": "prio bg", "plainTextBody": "x",
                                                "priority": d["priority"], "customHeaders": d["customHeaders"],
                                                "overrideDefaultFccFolder": ""})
    show("sent", r)
    got = tb.sink.wait_for(before + 1, timeout=30)[-1]
    show("X-Priority headers", got.message.get_all("X-Priority"))
    api(tb, "tabs.remove", tab)
finally:
    tb.stop()
