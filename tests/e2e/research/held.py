"""E: what the extension can read of a compose window while its onBeforeSend answer is pending,
and closing that window after {cancel: true}."""
import time

from common import api, show, start

JS_WINDOWS = r"""
const out = [];
for (const w of Services.wm.getEnumerator(null)) {
  const sub = w.gSubDialog?._dialogs?.length || 0;
  const tabModal = w.document.querySelectorAll("dialog[open], .dialogBox, tabmodalprompt").length;
  out.push({type: w.document.documentElement.getAttribute("windowtype"), href: w.location.href.split("/").pop(),
            title: w.document.title, closed: w.closed, subDialogs: sub, modalNodes: tabModal});
}
return out;
"""


def alert(tb):
    try:
        return tb._main().send("WebDriver:GetAlertText")
    except Exception as e:
        return None if "no such alert" in str(e) else str(e)[:120]


def hold_and_cancel(tb, tab, label):
    tb.mail.call("hold", on=True)
    n = len([e for e in tb.mail.events if e["kind"] == "beforeSend"])
    p = tb.driver.submit("sendMessage", tabId=tab, options={"mode": "sendNow"})
    tb.mail.wait_event("beforeSend", n + 1)
    t0 = time.monotonic()
    seen = tb.mail.call("inspect", tabId=tab)
    show(label + ": inspect while held (ms total)", round((time.monotonic() - t0) * 1000))
    d = seen["details"]
    show(label + ": getComposeDetails while held", {"ok": d["ok"], "error": d.get("error"), "ms": round(d["ms"]),
         "value": {k: v for k, v in (d.get("value") or {}).items() if k != "body"}})
    show(label + ": getComposeState while held", seen["state"])
    show(label + ": listAttachments / files while held", {"attachments": seen["attachments"], "files": seen["files"]})
    # The other extension (MV2 driver) reading the same window meanwhile.
    show(label + ": driver getComposeDetails while held", {k: v for k, v in tb.driver.call("getComposeDetails", tabId=tab).items() if k in ("to", "cc", "subject")})
    tb.mail.call("release", tabId=tab, answer={"cancel": True})
    show(label + ": sendMessage outcome", p.outcome(30))
    tb.mail.call("hold", on=False)


def close_and_look(tb, tab, how):
    win = api(tb, "tabs.get", tab)["value"]["windowId"]
    r = api(tb, "tabs.remove", tab) if how == "tabs" else api(tb, "windows.remove", win)
    time.sleep(2)
    left = [w for w in tb.driver.call("windows") if w["id"] == win]
    show(f"{how}.remove -> result", r)
    show(f"{how}.remove -> compose window still there", left)
    show(f"{how}.remove -> alert", alert(tb))
    show(f"{how}.remove -> chrome windows", tb._main().execute(JS_WINDOWS))


tb = start("e153", extra_prefs={"mail.compose.autosave": False})
try:
    tb.driver.call("recordBeforeSend")
    # a) new message with everything set, an attachment, modified; closed with tabs.remove.
    tab = api(tb, "compose.beginNew", {"to": ["tom@customer.example"], "cc": ["cc1@customer.example", "cc2@customer.example"],
                                       "subject": "held a", "plainTextBody": "first body"})["value"]["id"]
    time.sleep(1)
    show("setComposeDetails extras", api(tb, "compose.setComposeDetails", tab, {
        "customHeaders": [{"name": "X-CcGuard-Case", "value": "held"}], "priority": "high", "returnReceipt": True,
        "deliveryStatusNotification": True, "attachVCard": False, "plainTextBody": "edited body"}))
    show("addAttachment", api(tb, "compose.addAttachment", tab, {"file": {"$file": {"name": "a.txt", "type": "text/plain", "text": "attached text"}}}))
    hold_and_cancel(tb, tab, "a")
    show("a: isModified after cancel", api(tb, "compose.getComposeDetails", tab)["value"]["isModified"])
    close_and_look(tb, tab, "tabs")

    # b) same, closed with windows.remove.
    tab = api(tb, "compose.beginNew", {"to": ["tom@customer.example"], "subject": "held b", "plainTextBody": "b"})["value"]["id"]
    time.sleep(1)
    api(tb, "compose.setComposeDetails", tab, {"plainTextBody": "b edited"})
    hold_and_cancel(tb, tab, "b")
    close_and_look(tb, tab, "windows")

    # c) saved as a draft first, then edited, held, cancelled, closed: does the draft survive (and which version)?
    tab = api(tb, "compose.beginNew", {"to": ["tom@customer.example"], "cc": ["cc1@customer.example"],
                                       "subject": "held c", "plainTextBody": "saved version"})["value"]["id"]
    time.sleep(1)
    saved = api(tb, "compose.saveMessage", tab, {"mode": "draft"})
    draft = saved["value"]["messages"][0]
    show("c: saved draft", {"id": draft["id"], "folder": draft["folder"]["id"]})
    api(tb, "compose.setComposeDetails", tab, {"plainTextBody": "unsaved edit"})
    hold_and_cancel(tb, tab, "c")
    close_and_look(tb, tab, "tabs")
    q = api(tb, "messages.query", {"folderId": draft["folder"]["id"]})
    show("c: drafts folder after close", [(m["id"], m["subject"]) for m in q["value"]["messages"]])
    for m in q["value"]["messages"]:
        if m["subject"] == "held c":
            parts = api(tb, "messages.listInlineTextParts", m["id"])
            show("c: draft text", parts)

    # d) HTML identity compose window: deliveryFormat while held.
    tb._main().execute("""const {MailServices} = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
        MailServices.accounts.getIdentity("id1").composeHtml = true;""")
    tab = api(tb, "compose.beginNew", {"to": ["tom@customer.example"], "subject": "held d", "body": "<p>Hello <b>html</b></p>"})["value"]["id"]
    time.sleep(1)
    api(tb, "compose.setComposeDetails", tab, {"deliveryFormat": "both"})
    hold_and_cancel(tb, tab, "d (html)")
    close_and_look(tb, tab, "tabs")
finally:
    tb.stop()
