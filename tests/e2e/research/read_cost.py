"""A: cost of reading To/Cc of a message: messages.get vs getHeaders (153) vs getFull."""
import os
import sys

from common import show, start
from query import message

if len(sys.argv) > 2:
    os.environ["THUNDERBIRD"] = sys.argv[2]
tb = start(sys.argv[1])
try:
    folder = tb.mail.call("localFolder", folderName="Cost")
    heads = tb.mail.call("importMessages", folderId=folder["id"], raws=[message(i)[0] for i in range(300)])["headers"]
    ids = [h["id"] for h in heads]
    for path, extra in (("messages.get", []), ("messages.getHeaders", []), ("messages.getHeaders", [{"decodeHeaders": False}]),
                        ("messages.getFull", []), ("messages.getRaw", [])):
        try:
            r = tb.mail.call("apiMany", path=path, ids=ids, extra=extra, timeout=120)
            show(f"{path} {extra} x{len(ids)}", {"ms_total": round(r["ms"]), "ms_each": round(r["ms"] / len(ids), 2)})
        except Exception as e:
            show(f"{path} {extra}", str(e)[:120])
finally:
    tb.stop()
