"""B: when messages.onNewMailReceived fires (import, import {new: true}, POP3 download), with what,
and whether it wakes a stopped MV3 event page."""
import sys
import time

from common import api, show, start

def raw(n, to="Ann Sender <ann@shop.example>", cc="Carl <carl@customer.example>, dora@customer.example"):
    return (f"From: =?UTF-8?Q?B=C3=A9a?= <bea@customer.example>\nTo: {to}\nCc: {cc}\n"
            f"Subject: new mail {n}\nDate: Tue, 03 Mar 2026 10:00:0{n % 10} +0100\n"
            f"Message-ID: <new-{n}-{time.time()}@customer.example>\n\nbody {n}\n")


def wait_kinds(tb, since, seconds):
    time.sleep(seconds)
    return [{k: e.get(k) for k in ("kind", "count", "listId", "folder", "messages")} for e in tb.mail.events[since:]
            if e["kind"].startswith("newMail")]


def run_import_and_pop3():
    tb = start("b153", pop3=True)
    try:
        local = tb.mail.call("localFolder", folderName="Incoming")
        accts = api(tb, "accounts.list", False)["value"]
        pop_inbox = api(tb, "folders.query", {"accountId": "account1", "specialUse": ["inbox"]})
        show("folders.query inbox of account1", pop_inbox)
        inbox = pop_inbox["value"][0]
        cases = [("import local folder", local["id"], {}), ("import local folder new:true", local["id"], {"new": True}),
                 ("import POP3 Inbox", inbox["id"], {}), ("import POP3 Inbox new:true", inbox["id"], {"new": True})]
        for i, (label, fid, props) in enumerate(cases):
            n = len(tb.mail.events)
            r = tb.mail.call("importMessages", folderId=fid, raws=[raw(i)], properties=props)
            show(label + " -> header.new", [h.get("new") for h in r["headers"]])
            show(label + " -> events", wait_kinds(tb, n, 3))
        # POP3 download.
        n = len(tb.mail.events)
        tb.pop3.add(raw(7, cc='"Smith, Carl" <carl@customer.example>, Team: x@customer.example, y@customer.example;'))
        tb.pop3.add(raw(8))
        t0 = time.monotonic()
        show("get_new_mail", tb.get_new_mail())
        show("pop3 transcript", tb.pop3.transcript)
        ev = tb.mail.wait_event("newMail", 1, timeout=30)
        show("POP3 event after s", round(time.monotonic() - t0, 2))
        show("POP3 download -> events", wait_kinds(tb, n, 2))
    finally:
        tb.stop()


def run_wake():
    """The event page is stopped (3 s idle); Thunderbird's own biff (check_time 1 min) fetches mail."""
    tb = start("b153wake", pop3=True, extra_prefs={
        "extensions.background.idle.timeout": 3000,
        "mail.server.server1.check_new_mail": True, "mail.server.server1.check_time": 1,
        "mail.server.server1.download_on_biff": True})
    try:
        # The password for biff, without a prompt (in memory only).
        tb._main().execute("""const {MailServices} = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
            MailServices.accounts.getIncomingServer("server1").password = arguments[0];""", [tb.pop3.password])
        tb.pop3.add(raw(9))
        t0 = time.monotonic()
        state = None
        while time.monotonic() - t0 < 30:
            state = tb.background_state("ccguard-e2e-mail@tests.invalid")
            if state.lower().startswith("stop") or state == "2":
                break
            time.sleep(0.5)
        show("background state after idle", {"state": state, "after_s": round(time.monotonic() - t0, 1)})
        ev = tb.mail.wait_event("newMail", 1, timeout=130)
        show("event while stopped: seconds after start", round(time.monotonic() - t0, 1))
        show("events", [{k: e.get(k) for k in ("kind", "startedAt", "count", "folder")} for e in tb.mail.events])
        show("pop3 transcript", tb.pop3.transcript)
        show("background state now", tb.background_state("ccguard-e2e-mail@tests.invalid"))
    finally:
        tb.stop()




def run_more():
    tb = start("b153more", pop3=True)
    try:
        trash = api(tb, "folders.query", {"specialUse": ["trash"]})["value"]
        show("trash folders", [f["id"] for f in trash])
        n = len(tb.mail.events)
        tb.mail.call("importMessages", folderId=trash[0]["id"], raws=[raw(1)], properties={"new": True})
        show("import new:true into Trash -> events", [e["kind"] for e in wait_kinds(tb, n, 3)])
        for i in range(150):
            tb.pop3.add(raw(100 + i))
        n = len(tb.mail.events)
        t0 = time.monotonic()
        show("get_new_mail 150", tb.get_new_mail(timeout=120))
        time.sleep(3)
        show("150 downloaded -> events", [(e["kind"], e["count"], e["listId"]) for e in tb.mail.events[n:]
                                          if e["kind"].startswith("newMail")])
        lid = [e["listId"] for e in tb.mail.events[n:] if e["kind"] == "newMail" and e["listId"]]
        if lid:
            c = api(tb, "messages.continueList", lid[0])
            show("continueList of the event's list", {"ok": c["ok"], "error": c.get("error"),
                 "count": len(c["value"]["messages"]) if c["ok"] else None, "next": c["value"]["id"] if c["ok"] else None})
    finally:
        tb.stop()


if __name__ == "__main__":
    {"main": run_import_and_pop3, "wake": run_wake, "more": run_more}[sys.argv[1]]()
