"""D: a background send whose SMTP connection is dropped: how long until the Promise settles."""
import sys
import time

from bgsend import MAIL_ID
from common import show, start

tb = start("ddrop153")
try:
    tb.grant_permissions(MAIL_ID, ["messages.send"])
    show("mailnews.tcptimeout", tb._main().execute("return Services.prefs.getIntPref('mailnews.tcptimeout', -1);"))
    for verb in sys.argv[1:]:
        tb.sink.drop_at = verb
        p = tb.mail.submit("sendBackground", details={"to": ["good@customer.example"], "subject": "drop " + verb, "plainTextBody": "x"})
        t0 = time.monotonic()
        alerts = []
        while time.monotonic() - t0 < 200 and not p.done():
            time.sleep(1)
            try:
                alerts.append((round(time.monotonic() - t0, 1), tb._main().send("WebDriver:GetAlertText")))
                tb._main().send("WebDriver:AcceptAlert")
            except Exception as e:
                if "no such alert" not in str(e):
                    alerts.append(str(e)[:100])
        show(f"drop at {verb}: alerts", alerts)
        show(f"drop at {verb}: settled after s", round(time.monotonic() - t0, 1) if p.done() else "not within 200 s")
        show(f"drop at {verb}: result", p.outcome(1) if p.done() else None)
        show("transcript", [l.decode(errors="replace") for l in tb.sink.transcript[-6:]])
finally:
    tb.stop()
