"""D: messages.sendMessage (Thunderbird 153): schema, permission, what arrives, onBeforeSend, fcc,
timing, failures. 140: only feature detection."""
import base64
import os
import sys
import time

from common import api, show, start

MAIL_ID = "ccguard-e2e-mail@tests.invalid"

# Every window Thunderbird has open: [type, title, url] (a prompt shows up as commonDialog / a subdialog).
JS_WINDOWS = r"""
const out = [];
for (const w of Services.wm.getEnumerator(null)) {
  out.push([w.document.documentElement.getAttribute("windowtype"), w.document.title, w.location.href]);
}
return out;
"""

JS_FCC = r"""
const [on, resolve] = arguments;
const {MailServices} = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const id = MailServices.accounts.getIdentity("id1");
id.doFcc = on;
if (on) id.fccFolderURI = "mailbox://ann@127.0.0.1/Sent";
resolve({doFcc: id.doFcc, fcc: id.fccFolderURI});
"""


def headers(m):
    return [(k, str(v)) for k, v in m.message.items() if k not in ("Date", "Message-ID", "User-Agent")]


def parts(m):
    return [(p.get_content_type(), p.get_filename(), len(p.get_payload(decode=True) or b""))
            for p in m.message.walk()]


def bg(tb, details, options=None, tab=None, timeout=120):
    return tb.mail.call("sendBackground", details=details, options=options, attachmentsFromTab=tab, timeout=timeout)


def one(tb, label, details, options=None, tab=None):
    before = len(tb.sink.messages)
    n = len(tb.mail.events)
    t0 = time.monotonic()
    r = bg(tb, details, options, tab)
    show(label + " -> result", r)
    if r["ok"] and (r["value"] or {}).get("mode") == "sendNow":
        got = tb.sink.wait_for(before + 1, timeout=30)[-1]
        show(label + " -> at the sink after s", round(time.monotonic() - t0, 2))
        show(label + " -> envelope", {"from": got.mail_from, "rcpt": got.rcpt_to})
        show(label + " -> headers", headers(got))
        show(label + " -> parts", parts(got))
    show(label + " -> extension events", [e["kind"] for e in tb.mail.events[n:]])
    return r


def main153():
    tb = start("d153", probe=True)
    try:
        tb.driver.call("recordBeforeSend")
        plain = {"to": ["Tom <tom@customer.example>"], "cc": ["cc1@customer.example"], "bcc": ["secret@customer.example"],
                 "subject": "bg plain", "plainTextBody": "Hello from the background.\n"}
        show("typeof messages.sendMessage before grant", api(tb, "permissions.getAll"))
        show("sendMessage without messages.send", bg(tb, plain))
        show("permissions.request without a user action", api(tb, "permissions.request", {"permissions": ["messages.send"]}))
        show("grant (chrome, as if accepted)", tb.grant_permissions(MAIL_ID, ["messages.send"]))
        show("permissions.getAll after", api(tb, "permissions.getAll"))
        r = one(tb, "plain", plain)
        time.sleep(1)
        show("probe atSend (MV3, other extension)", tb.probe.call("atSend"))
        show("driver onBeforeSend log (MV2, other extension)", tb.driver.call("beforeSendLog"))
        show("windows after plain send", tb._main().execute(JS_WINDOWS))
        one(tb, "no recipients", {"subject": "x", "plainTextBody": "x"})
        one(tb, "html body", {"to": ["tom@customer.example"], "subject": "bg html",
                              "body": "<p>Hello <b>bold</b> <a href='https://example.org'>link</a></p>"})
        one(tb, "html body isPlainText true", {"to": ["tom@customer.example"], "subject": "bg html as plain",
                                               "body": "<p>Hello <b>bold</b></p>", "isPlainText": True})
        one(tb, "html deliveryFormat html", {"to": ["tom@customer.example"], "subject": "bg html only",
                                             "body": "<p>Hello <b>bold</b></p>", "deliveryFormat": "html"})
        one(tb, "extras", {"to": ["tom@customer.example"], "subject": "bg extras", "plainTextBody": "x",
                           "customHeaders": [{"name": "X-CcGuard-Test", "value": "yes"}, {"name": "Foo-Bar", "value": "dropped?"}],
                           "priority": "high", "returnReceipt": True, "deliveryStatusNotification": True,
                           "replyTo": ["replies@shop.example"], "contentLanguage": ["de-DE"]})
        show("sink transcript (DSN?)", [l.decode(errors="replace") for l in tb.sink.transcript if l.startswith((b"MAIL", b"RCPT"))][-4:])
        one(tb, "file attachments", {"to": ["tom@customer.example"], "subject": "bg attach", "plainTextBody": "see attached",
                                     "attachments": [{"file": {"$file": {"name": "note.txt", "type": "text/plain", "text": "hello file"}}},
                                                     {"file": {"$file": {"name": "pic.bin", "type": "application/octet-stream",
                                                                         "base64": base64.b64encode(bytes(range(256))).decode()}}}]})
        one(tb, "from override + identityId", {"to": ["tom@customer.example"], "subject": "bg from", "plainTextBody": "x",
                                               "identityId": "id1", "from": "Shop Desk <ann@shop.example>"})
        # Attachments of a compose window, via listAttachments + getAttachmentFile, and as ComposeAttachment objects.
        nb = api(tb, "compose.beginNew", {"to": ["w@customer.example"], "subject": "window", "plainTextBody": "w"})
        tab = nb["value"]["id"]
        time.sleep(1)
        show("addAttachment", api(tb, "compose.addAttachment", tab, {"file": {"$file": {"name": "from-window.txt", "type": "text/plain", "text": "window file"}}}))
        listed = api(tb, "compose.listAttachments", tab)
        show("listAttachments", listed)
        one(tb, "attachments from window as File", {"to": ["tom@customer.example"], "subject": "bg window files", "plainTextBody": "x"}, tab=tab)
        one(tb, "attachments as ComposeAttachment objects", {"to": ["tom@customer.example"], "subject": "bg compose attachments",
                                                             "plainTextBody": "x", "attachments": listed["value"]})
        # A ComposeDetails object as details (from the window).
        cd = api(tb, "compose.getComposeDetails", tab)["value"]
        one(tb, "ComposeDetails of the window as details", cd)
        api(tb, "tabs.remove", tab)

        # fcc: identity without copy (profile) -> messages []; with copy -> Sent; per-send override "".
        show("fcc on", tb._main().execute_async(JS_FCC, [True]))
        one(tb, "fcc on (identity)", {"to": ["tom@customer.example"], "subject": "bg fcc", "plainTextBody": "x"})
        one(tb, "fcc on, overrideDefaultFccFolder ''", {"to": ["tom@customer.example"], "subject": "bg nofcc", "plainTextBody": "x",
                                                        "overrideDefaultFccFolder": ""})
        local = tb.mail.call("localFolder", folderName="Audit")
        one(tb, "fcc on, additionalFccFolder", {"to": ["tom@customer.example"], "subject": "bg fcc2", "plainTextBody": "x",
                                                "additionalFccFolder": local})
        show("fcc off", tb._main().execute_async(JS_FCC, [False]))
        one(tb, "sendLater", {"to": ["tom@customer.example"], "subject": "bg later", "plainTextBody": "x"}, {"mode": "sendLater"})
        show("outbox", api(tb, "folders.query", {"specialUse": ["outbox"]}))

        # Timing: 25 one after the other, then 25 at once.
        before = len(tb.sink.messages)
        t0 = time.monotonic()
        times = []
        for i in range(25):
            t1 = time.monotonic()
            r = bg(tb, {"to": [f"seq{i}@customer.example"], "subject": f"seq {i}", "plainTextBody": "x"})
            assert r["ok"], r
            times.append(round(r["ms"]))
        tb.sink.wait_for(before + 25, timeout=60)
        show("25 sequential: total s, per-call ms", [round(time.monotonic() - t0, 2), times])
        before = len(tb.sink.messages)
        t0 = time.monotonic()
        pend = [tb.mail.submit("sendBackground", details={"to": [f"par{i}@customer.example"], "subject": f"par {i}", "plainTextBody": "x"})
                for i in range(25)]
        outs = [p.result(180) for p in pend]
        tb.sink.wait_for(before + 25, timeout=60)
        show("25 concurrent: total s, ok count, ms", [round(time.monotonic() - t0, 2), sum(o["ok"] for o in outs), [round(o["ms"]) for o in outs]])

        # Failures.
        tb.sink.refuse_rcpt = {"bad@customer.example"}
        before = len(tb.sink.messages)
        r = bg(tb, {"to": ["good@customer.example", "bad@customer.example"], "subject": "bg refused", "plainTextBody": "x"})
        show("one RCPT refused", r)
        time.sleep(1)
        show("  delivered?", len(tb.sink.messages) - before)
        show("  windows", tb._main().execute(JS_WINDOWS))
        tb.sink.refuse_rcpt = set()
        tb.sink.drop_at = "DATA"
        r = bg(tb, {"to": ["good@customer.example"], "subject": "bg dropped", "plainTextBody": "x"})
        show("connection dropped at DATA", r)
        tb.sink.drop_at = "MAIL"
        r = bg(tb, {"to": ["good@customer.example"], "subject": "bg dropped", "plainTextBody": "x"})
        show("connection dropped at MAIL", r)
        tb.sink.drop_at = None
        show("  windows", tb._main().execute(JS_WINDOWS))
        port = tb.sink.port
        tb._main().execute("""Services.prefs.setIntPref("mail.smtpserver.smtp1.port", 1);""")
        show("server not listening", bg(tb, {"to": ["good@customer.example"], "subject": "bg noserver", "plainTextBody": "x"}))
        tb._main().execute("""Services.prefs.setIntPref("mail.smtpserver.smtp1.port", arguments[0]);""", [port])
        show("after failures, a normal send", bg(tb, {"to": ["good@customer.example"], "subject": "bg ok again", "plainTextBody": "x"}))
        show("activity manager", tb._main().execute(r"""
const am = Cc["@mozilla.org/activity-manager;1"].getService(Ci.nsIActivityManager);
return am.getActivities().map(a => { try { a.QueryInterface(Ci.nsIActivityProcess); return ["process", a.displayText, a.lastStatusText, a.state]; }
  catch (e) { try { a.QueryInterface(Ci.nsIActivityEvent); return ["event", a.displayText, a.statusText]; } catch (e2) { return ["?", String(a)]; } } });"""))
    finally:
        tb.stop()


def main140():
    os.environ["THUNDERBIRD"] = "/work/main/build/thunderbird-140/usr/lib/thunderbird/thunderbird"
    tb = start("d140")
    try:
        show("140 sendMessage", bg(tb, {"to": ["tom@customer.example"], "subject": "x", "plainTextBody": "x"}))
        show("140 grant messages.send", tb.grant_permissions(MAIL_ID, ["messages.send"]))
        show("140 sendMessage after grant", bg(tb, {"to": ["tom@customer.example"], "subject": "x", "plainTextBody": "x"}))
        show("140 permissions.getAll", api(tb, "permissions.getAll"))
        show("140 log lines about messages.send", [l for l in tb.log_path.read_text(errors="replace").splitlines() if "messages.send" in l][:5])
    finally:
        tb.stop()


if __name__ == "__main__":
    {"153": main153, "140": main140}[sys.argv[1]]()
