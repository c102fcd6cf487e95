"""Baseline for D: the same dropped SMTP connection with a compose-window send (driver)."""
import subprocess
import time

from common import api, show, start

tb = start("ddropc153")
try:
    tb.sink.drop_at = "DATA"
    tab = tb.driver.call("beginNew", details={"to": ["good@customer.example"], "subject": "drop compose", "plainTextBody": "x"})["tabId"]
    time.sleep(1)
    p = tb.driver.submit("sendMessage", tabId=tab, options={"mode": "sendNow"})
    t0 = time.monotonic()
    alerts = []
    time.sleep(3)
    show("sockets to the sink", subprocess.run(["ss", "-tnp", f"( dport = :{tb.sink.port} or sport = :{tb.sink.port} )"],
                                               capture_output=True, text=True).stdout)
    while time.monotonic() - t0 < 150 and not p.done():
        time.sleep(1)
        try:
            alerts.append((round(time.monotonic() - t0, 1), tb._main().send("WebDriver:GetAlertText")))
            tb._main().send("WebDriver:AcceptAlert")
        except Exception as e:
            if "no such alert" not in str(e):
                alerts.append(str(e)[:100])
    show("alerts", alerts)
    show("settled after s", round(time.monotonic() - t0, 1) if p.done() else "not within 150 s")
    show("result", p.outcome(1) if p.done() else None)
    show("compose state", tb.driver.call("getComposeState", tabId=tab))
finally:
    tb.stop()
