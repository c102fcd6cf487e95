"""C: limiting messages.query to inbox-type folders (folders.query specialUse inbox)."""
import os
import sys

from common import api, show, start
from query import message

if len(sys.argv) > 2:
    os.environ["THUNDERBIRD"] = sys.argv[2]
tb = start(sys.argv[1])
try:
    inboxes = api(tb, "folders.query", {"specialUse": ["inbox"]})["value"]
    show("inbox folders", [(f["id"], f["specialUse"]) for f in inboxes])
    other = tb.mail.call("localFolder", folderName="Other")
    tb.mail.call("importMessages", folderId=inboxes[0]["id"], raws=[message(i)[0] for i in range(5)])
    tb.mail.call("importMessages", folderId=other["id"], raws=[message(i)[0] for i in range(5, 12)])
    r = api(tb, "messages.query", {"folderId": [f["id"] for f in inboxes]})
    show("query inbox folders", {"ok": r["ok"], "n": len(r["value"]["messages"]), "folders": sorted({m["folder"]["id"] for m in r["value"]["messages"]})})
    r = api(tb, "messages.query", {})
    show("query all", {"ok": r["ok"], "n": len(r["value"]["messages"]), "folders": sorted({m["folder"]["id"] for m in r["value"]["messages"]})})
    show("folders.query inbox+sent", [f["id"] for f in api(tb, "folders.query", {"specialUse": ["inbox", "sent"]})["value"]])
    show("folders.query sent", [f["id"] for f in api(tb, "folders.query", {"specialUse": ["sent"]})["value"]])
finally:
    tb.stop()
