"""C: messages.query options, paging and speed over ~2,000 imported messages."""
import os
import sys
import time
from datetime import datetime, timedelta, timezone

from common import api, show, start

N = 2000
BASE = datetime(2025, 1, 1, 8, 0, tzinfo=timezone.utc)


def message(i):
    date = BASE + timedelta(hours=4 * i)
    author = "Ann Sender <ann@shop.example>" if i % 10 == 0 else f"Cust {i} <c{i}@customer.example>"
    to = "Ann Sender <ann@shop.example>" if i % 3 == 0 else f"Other {i} <o{i}@customer.example>"
    return (f"From: {author}\nTo: {to}\nCc: c{i % 50}@customer.example, team{i % 7}@customer.example\n"
            f"Subject: bulk {i}\nDate: {date.strftime('%a, %d %b %Y %H:%M:%S +0000')}\n"
            f"Message-ID: <bulk-{i}@customer.example>\n\nmessage {i}\n"), date


def expected(pred):
    return sum(1 for i in range(N) if pred(i, BASE + timedelta(hours=4 * i)))


def main(name, binary=None):
    if binary:
        os.environ["THUNDERBIRD"] = binary
    tb = start(name)
    try:
        folder = tb.mail.call("localFolder", folderName="Bulk")
        fid = folder["id"]
        t0 = time.monotonic()
        for start_i in range(0, N, 250):
            raws = [message(i)[0] for i in range(start_i, min(N, start_i + 250))]
            tb.mail.call("importMessages", folderId=fid, raws=raws, quiet=True, timeout=300)
        show(f"import {N} messages (s)", round(time.monotonic() - t0, 1))

        def q(label, info, timeout=120):
            r = api(tb, "messages.query", info, timeout=timeout)
            v = r.get("value")
            out = {"ok": r["ok"], "ms": round(r["ms"]), "error": r.get("error")}
            if isinstance(v, dict):
                out |= {"page": len(v.get("messages", [])), "id": v.get("id")}
            else:
                out |= {"value": v}
            show(label, out)
            return r

        def drain(list_id):
            total, pages, t = 0, 0, time.monotonic()
            while list_id:
                c = api(tb, "messages.continueList", list_id)
                if not c["ok"]:
                    return {"error": c["error"], "total": total, "pages": pages}
                total += len(c["value"]["messages"]); pages += 1
                list_id = c["value"]["id"]
            return {"more": total, "pages": pages, "ms": round((time.monotonic() - t) * 1000)}

        r = q("query folder, defaults", {"folderId": fid})
        show(" drain", drain(r["value"]["id"]))
        r = q("query folder, messagesPerPage 5000", {"folderId": fid, "messagesPerPage": 5000})
        show(" drain", drain(r["value"]["id"]))
        r = q("query folder, messagesPerPage 500, autoPaginationTimeout 0", {"folderId": fid, "messagesPerPage": 500, "autoPaginationTimeout": 0})
        show(" drain", drain(r["value"]["id"]))
        r = q("query folder, autoPaginationTimeout 1 (ms), messagesPerPage 5000", {"folderId": fid, "messagesPerPage": 5000, "autoPaginationTimeout": 1})
        show(" drain", drain(r["value"]["id"]))
        r = q("returnMessageListId true", {"folderId": fid, "returnMessageListId": True})
        show(" drain", drain(r["value"]))
        r = q("abortList after first page", {"folderId": fid, "messagesPerPage": 100})
        show(" abortList", api(tb, "messages.abortList", r["value"]["id"]))
        show(" continueList after abort", api(tb, "messages.continueList", r["value"]["id"]))
        show(" continueList of unknown id", api(tb, "messages.continueList", "no-such-list"))

        frm, to = "2025-06-01T00:00:00Z", "2025-07-01T00:00:00Z"
        fd, td = datetime(2025, 6, 1, tzinfo=timezone.utc), datetime(2025, 7, 1, tzinfo=timezone.utc)
        show("expected in June 2025", expected(lambda i, d: fd <= d <= td))
        def qt(label, info, timeout):
            try:
                return q(label, info, timeout=timeout)
            except TimeoutError as e:
                show(label, f"no answer within {timeout}s: {e}")
        qt("fromDate/toDate ISO strings", {"folderId": fid, "fromDate": frm, "toDate": to, "messagesPerPage": 5000}, 15)
        qt("fromDate/toDate numbers (ms)", {"folderId": fid, "fromDate": int(fd.timestamp() * 1000), "toDate": int(td.timestamp() * 1000), "messagesPerPage": 5000}, 15)
        q("fromDate/toDate Date objects", {"folderId": fid, "fromDate": {"$date": frm}, "toDate": {"$date": to}, "messagesPerPage": 5000})
        show("expected from 2025-11-01", expected(lambda i, d: d >= datetime(2025, 11, 1, tzinfo=timezone.utc)))
        q("fromDate only Date object", {"folderId": fid, "fromDate": {"$date": "2025-11-01T00:00:00Z"}, "messagesPerPage": 5000})
        q("fromDate only Date object, defaults paging", {"folderId": fid, "fromDate": {"$date": "2025-11-01T00:00:00Z"}})
        frm, to = {"$date": frm}, {"$date": to}
        show("expected fromMe", expected(lambda i, d: i % 10 == 0))
        q("fromMe true", {"folderId": fid, "fromMe": True, "messagesPerPage": 5000})
        show("expected toMe", expected(lambda i, d: i % 3 == 0))
        q("toMe true", {"folderId": fid, "toMe": True, "messagesPerPage": 5000})
        show("expected fromMe and June", expected(lambda i, d: i % 10 == 0 and fd <= d <= td))
        q("fromMe + dates", {"folderId": fid, "fromMe": True, "fromDate": frm, "toDate": to, "messagesPerPage": 5000})
        q("recipients c7@customer.example (Cc)", {"folderId": fid, "recipients": "c7@customer.example", "messagesPerPage": 5000})
        show("expected c7 in Cc", expected(lambda i, d: i % 50 == 7))
        r = q("fromMe page content sample", {"folderId": fid, "fromMe": True, "messagesPerPage": 2, "autoPaginationTimeout": 0})
        show(" sample message", r["value"]["messages"][0] if r["ok"] and r["value"]["messages"] else None)
        # Whole profile, and inbox-type folders only.
        q("query everything (no folder)", {"messagesPerPage": 5000})
        inboxes = api(tb, "folders.query", {"specialUse": ["inbox"]})
        show("folders.query specialUse inbox", inboxes)
        ids = [f["id"] for f in inboxes.get("value", [])]
        q("query inbox folders only", {"folderId": ids, "messagesPerPage": 5000})
        q("query accountId account2", {"accountId": "account2", "messagesPerPage": 5000})
        q("query folderId + includeSubFolders on root", {"folderId": "account2://", "includeSubFolders": True, "messagesPerPage": 5000})
        show("mailbox getFolderInfo", api(tb, "folders.getFolderInfo", fid))
    finally:
        tb.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
