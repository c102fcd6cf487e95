"""A: what a reply / reply-all / forward / reopened draft looks like to onBeforeSend and messages.*."""
import sys
import time

from common import api, show, start

RAW = """\
From: =?UTF-8?Q?B=C3=A9a_Customer?= <bea@customer.example>
To: "Ann Sender" <ann@shop.example>, "Smith, Carl" <carl@customer.example>, dora@customer.example,
 =?UTF-8?Q?H=C3=B6rst=2C_Kenny?= <kenny@customer.example>
Cc: Team: eve@customer.example, "Fay F." <fay@customer.example>;, =?ISO-8859-1?Q?G=F6ran?= <goran@customer.example>
Bcc: hidden@customer.example
Reply-To: replies@customer.example
Subject: =?UTF-8?Q?Qu=C3=A9stion?= about order 42
Date: Mon, 02 Mar 2026 10:00:00 +0100
Message-ID: <orig-42@customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Hello, what about order 42?
"""

RAW2 = """From: <bare@customer.example>
To: undisclosed-recipients:;
Cc: "O'Brien (IT)" <ob@customer.example>, <angle@customer.example>, Empty:;
Subject: edge cases
Date: Mon, 02 Mar 2026 11:00:00 +0100
Message-ID: <orig-43@customer.example>

x
"""


def main(name: str, binary: str | None):
    import os
    if binary:
        os.environ["THUNDERBIRD"] = binary
    tb = start(name, probe=True)
    try:
        folder = tb.mail.call("localFolder", folderName="Replies")
        show("folder", folder)
        imp = tb.mail.call("importMessages", folderId=folder["id"], raws=[RAW])
        show("imported header", imp)
        mid = imp["headers"][0]["id"]
        show("messages.get", api(tb, "messages.get", mid))
        show("messages.getHeaders", api(tb, "messages.getHeaders", mid))
        show("messages.getHeaders decodeHeaders false", api(tb, "messages.getHeaders", mid, {"decodeHeaders": False}))
        full = api(tb, "messages.getFull", mid)
        show("messages.getFull headers", {k: v for k, v in full.items() if k != "value"} | {"headers": full.get("value", {}).get("headers")})
        show("messages.getFull decodeHeaders false", (api(tb, "messages.getFull", mid, {"decodeHeaders": False}).get("value") or {}).get("headers"))
        show("probe (no messagesRead): messages.get", tb.probe.call("api", path="messages.get", args=[mid]))
        show("getFull decodeHeaders false", api(tb, "messages.getFull", mid, {"decodeHeaders": False}))
        imp2 = tb.mail.call("importMessages", folderId=folder["id"], raws=[RAW2])
        mid2 = imp2["headers"][0]["id"]
        show("edge messages.get", api(tb, "messages.get", mid2))
        show("edge getHeaders", api(tb, "messages.getHeaders", mid2))
        show("edge getHeaders raw", api(tb, "messages.getHeaders", mid2, {"decodeHeaders": False}))
        show("parseMailboxString of recipients[3]", api(tb, "messengerUtilities.parseMailboxString",
             api(tb, "messages.get", mid)["value"]["recipients"][3]))
        t = api(tb, "compose.beginReply", mid2, "replyToAll")
        time.sleep(1.0)
        show("edge reply-all details", api(tb, "compose.getComposeDetails", t["value"]["id"]))
        api(tb, "tabs.remove", t["value"]["id"])
        # A reply saved as a draft, then reopened: type and relatedMessageId of the reopened one.
        t = api(tb, "compose.beginReply", mid, "replyToAll")["value"]["id"]
        time.sleep(1.0)
        sv = api(tb, "compose.saveMessage", t, {"mode": "draft"})
        show("reply saved as draft", {"ok": sv["ok"], "ids": [m["id"] for m in sv["value"]["messages"]]} if sv["ok"] else sv)
        api(tb, "tabs.remove", t)
        reply_draft = sv["value"]["messages"][0]["id"]
        show("reply draft headers in-reply-to/references", {k: v for k, v in api(tb, "messages.getHeaders", reply_draft).get("value", {}).items()
             if k in ("in-reply-to", "references", "x-mozilla-draft-info")} if hasattr(tb, "mail") else None)

        tb.driver.call("recordBeforeSend")
        for how in ("replyToAll", "replyToSender"):
            r = api(tb, "compose.beginReply", mid, how)
            show(f"beginReply {how}", r)
            if not r["ok"]:
                continue
            tab = r["value"]["id"]
            time.sleep(1.0)
            show(f"getComposeDetails {how}", api(tb, "compose.getComposeDetails", tab))
            tb.mail.call("hold", on=True)
            pending = tb.driver.submit("sendMessage", tabId=tab, options={"mode": "sendNow"})
            ev = tb.mail.wait_event("beforeSend", count=1 + ["replyToAll", "replyToSender"].index(how))
            show(f"onBeforeSend (mail helper, MV3 with messagesRead) {how}", ev[-1])
            time.sleep(0.5)
            show(f"probe atSend (MV3 without messagesRead) {how}", tb.probe.call("atSend")[-1:])
            show(f"driver recordBeforeSend (MV2, no messagesRead) {how}", tb.driver.call("beforeSendLog")[-1:])
            tb.mail.call("release", tabId=tab, answer={"cancel": True})
            show("sendMessage outcome", pending.outcome(30))
            tb.mail.call("hold", on=False)
            api(tb, "tabs.remove", tab)
            time.sleep(0.5)

        # A real reply-all send, nobody holding: every listener runs; what reaches the sink.
        r = api(tb, "compose.beginReply", mid, "replyToAll")
        tab = r["value"]["id"]
        time.sleep(1.0)
        n = len(tb.mail.events)
        show("real send", tb.driver.call("sendMessage", tabId=tab, options={"mode": "sendNow"}))
        got = tb.sink.wait_for(1)[-1]
        show("sink", {"rcpt": got.rcpt_to, "headers": [(k, str(v)) for k, v in got.message.items()]})
        show("probe atSend (MV3 without messagesRead)", [
            {k: v for k, v in a.items() if k != "details"} | {"type": a["details"].get("type"),
             "relatedMessageId": a["details"].get("relatedMessageId", "<absent>")} for a in tb.probe.call("atSend")])
        show("driver log (MV2 without messagesRead)", [
            {"tabId": a["tabId"], "type": a["details"].get("type"),
             "relatedMessageId": a["details"].get("relatedMessageId", "<absent>")} for a in tb.driver.call("beforeSendLog")])
        show("mail helper events after real send", [
            {k: e.get(k) for k in ("kind", "tabId", "info")} for e in tb.mail.events[n:]])
        show("all mail helper events", [{k: e.get(k) for k in ("kind", "tabId", "info")} for e in tb.mail.events])

        r = api(tb, "compose.beginForward", mid, "forwardInline")
        show("beginForward inline", r)
        time.sleep(1.0)
        show("forward details", api(tb, "compose.getComposeDetails", r["value"]["id"]))
        r2 = api(tb, "compose.beginForward", mid, "forwardAsAttachment")
        time.sleep(1.0)
        show("forwardAsAttachment details", api(tb, "compose.getComposeDetails", r2["value"]["id"]))
        show("forwardAsAttachment attachments", api(tb, "compose.listAttachments", r2["value"]["id"]))
        for t in (r["value"]["id"], r2["value"]["id"]):
            api(tb, "tabs.remove", t)

        # Draft: new message, saved as draft, closed, reopened from the Drafts folder.
        nb = api(tb, "compose.beginNew", {"to": ["zed@customer.example"], "cc": ["yan@customer.example"],
                                          "subject": "Draft research", "plainTextBody": "draft body"})
        tab = nb["value"]["id"]
        time.sleep(1.0)
        saved = api(tb, "compose.saveMessage", tab, {"mode": "draft"})
        show("saveMessage draft", saved)
        api(tb, "tabs.remove", tab)
        time.sleep(0.5)
        draft_id = saved["value"]["messages"][0]["id"]
        show("draft messages.get", api(tb, "messages.get", draft_id))
        # Reopen the draft the way a user does (double click in Drafts): MailUtils/ComposeUtils from chrome.
        reopened = tb._main().execute_async(r"""
const [folderPath, resolve] = arguments;
const {MailServices} = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const {MailUtils} = ChromeUtils.importESModule("resource:///modules/MailUtils.sys.mjs");
const local = MailServices.accounts.localFoldersServer;
const drafts = MailServices.accounts.allFolders.find(f => f.getFlag(Ci.nsMsgFolderFlags.Drafts) && f.getTotalMessages(false) > 0);
const uris = [...drafts.messages].map(h => drafts.getUriForMsg(h));
const win = Services.wm.getMostRecentWindow("mail:3pane");
for (const uri of uris) win.ComposeMessage(Ci.nsIMsgCompType.Draft, Ci.nsIMsgCompFormat.Default, drafts, [uri]);
// And a redirect of the original message.
const orig = MailServices.accounts.allFolders.find(f => f.name == "Replies");
const ohdr = [...orig.messages].find(h => h.messageId == "orig-42@customer.example");
win.ComposeMessage(Ci.nsIMsgCompType.Redirect, Ci.nsIMsgCompFormat.Default, orig, [orig.getUriForMsg(ohdr)]);
resolve({drafts: drafts.URI, uris});
""", [None], timeout=20)
        show("reopen draft", reopened)
        time.sleep(2.0)
        wins = tb.driver.call("windows")
        compose_tabs = [t["id"] for w in wins if w["type"] == "messageCompose" for t in w["tabs"]]
        show("compose tabs", compose_tabs)
        for t in compose_tabs:
            d = api(tb, "compose.getComposeDetails", t)
            show("reopened draft / redirect details", {k: v for k, v in d["value"].items() if k not in ("body", "plainTextBody")})
            if d["value"]["type"] == "redirect":
                show("setComposeDetails on redirect", api(tb, "compose.setComposeDetails", t, {"to": ["redir@customer.example"]}))
            tb.mail.call("hold", on=True)
            n = len(tb.mail.wait_event("beforeSend", 0))
            pending = tb.driver.submit("sendMessage", tabId=t, options={"mode": "sendNow"})
            ev = tb.mail.wait_event("beforeSend", n + 1)
            show("onBeforeSend of reopened draft / redirect", {k: v for k, v in ev[-1]["details"].items() if k in ("type", "relatedMessageId", "to", "cc", "subject")})
            tb.mail.call("release", tabId=t, answer={"cancel": True})
            pending.outcome(30)
            tb.mail.call("hold", on=False)
            api(tb, "tabs.remove", t)
    finally:
        tb.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
