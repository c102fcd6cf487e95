"""D: background send failures (what the Promise does, which windows appear) and HTML identities."""
import time

from bgsend import JS_WINDOWS, MAIL_ID, bg, headers, one, parts
from common import api, show, start

JS_PROMPTS = r"""
const out = [];
for (const w of Services.wm.getEnumerator(null)) {
  const type = w.document.documentElement.getAttribute("windowtype");
  const text = w.document.getElementById("infoBody")?.textContent || "";
  const dlg = w.document.querySelector("dialog");
  out.push({type, title: w.document.title, text, buttons: dlg ? [...dlg.querySelectorAll("button")].filter(b => !b.hidden).map(b => b.label) : []});
}
return out;
"""

JS_CLOSE_DIALOGS = r"""
let n = 0;
for (const w of Services.wm.getEnumerator("Prompt:Alert")) { w.document.querySelector("dialog").acceptDialog(); n++; }
for (const w of Services.wm.getEnumerator(null)) {
  if (w.location.href.includes("commonDialog")) { try { w.document.querySelector("dialog").acceptDialog(); n++; } catch (e) {} }
}
return n;
"""


def attempt(tb, label, details, wait=20):
    before = len(tb.sink.messages)
    p = tb.mail.submit("sendBackground", details=details)
    t0 = time.monotonic()
    seen = None
    alerts = []
    while time.monotonic() - t0 < wait and not p.done():
        time.sleep(0.5)
        try:
            text = tb._main().send("WebDriver:GetAlertText")
            alerts.append((round(time.monotonic() - t0, 1), text))
            time.sleep(2)  # is the send Promise waiting for the alert?
            alerts.append(("send settled while alert open", p.done()))
            tb._main().send("WebDriver:AcceptAlert")
        except Exception as e:
            if "no such alert" not in str(e):
                alerts.append(("error", str(e)[:200]))
    show(label + ": alerts while pending", alerts)
    if not p.done():
        show(label + ": closing dialogs", tb._main().execute(JS_CLOSE_DIALOGS))
    try:
        show(label + ": result", p.result(30))
    except TimeoutError as e:
        show(label + ": result", f"no answer: {e}")
    show(label + ": delivered", len(tb.sink.messages) - before)
    show(label + ": transcript tail", [l.decode(errors="replace") for l in tb.sink.transcript[-8:]])


tb = start("dfail153")
try:
    tb.grant_permissions(MAIL_ID, ["messages.send"])
    tb.sink.refuse_rcpt = {"bad@customer.example"}
    attempt(tb, "one RCPT refused", {"to": ["good@customer.example", "bad@customer.example"], "subject": "refused", "plainTextBody": "x"})
    tb.sink.refuse_rcpt = set()
    tb.sink.drop_at = "DATA"
    attempt(tb, "dropped at DATA", {"to": ["good@customer.example"], "subject": "drop", "plainTextBody": "x"})
    tb.sink.drop_at = None
    port = tb.sink.port
    tb._main().execute("""Services.prefs.setIntPref("mail.smtpserver.smtp1.port", 1);""")
    attempt(tb, "nobody listening", {"to": ["good@customer.example"], "subject": "noserver", "plainTextBody": "x"})
    tb._main().execute("""Services.prefs.setIntPref("mail.smtpserver.smtp1.port", arguments[0]);""", [port])
    attempt(tb, "normal send afterwards", {"to": ["good@customer.example"], "subject": "ok", "plainTextBody": "x"})

    # HTML with an identity that composes HTML.
    tb._main().execute("""const {MailServices} = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
        MailServices.accounts.getIdentity("id1").composeHtml = true;""")
    one(tb, "html identity: formatted body", {"to": ["tom@customer.example"], "subject": "html id", "body": "<p>Hello <b>bold</b></p>"})
    one(tb, "html identity: deliveryFormat html", {"to": ["tom@customer.example"], "subject": "html only", "body": "<p>Hello <b>bold</b></p>", "deliveryFormat": "html"})
    one(tb, "html identity: plain body only", {"to": ["tom@customer.example"], "subject": "plain", "plainTextBody": "just text"})
    one(tb, "html identity: unformatted html", {"to": ["tom@customer.example"], "subject": "unformatted", "body": "<p>just text</p>"})
finally:
    tb.stop()
