"""D: detecting background-send support before the permission is granted (no user action needed)."""
import os
import sys

from common import api, show, start

if len(sys.argv) > 2:
    os.environ["THUNDERBIRD"] = sys.argv[2]
tb = start(sys.argv[1])
try:
    show("manifest warnings of the mail helper (optional_permissions: messages.send)", tb._main().execute(
        "return WebExtensionPolicy.getByID('ccguard-e2e-mail@tests.invalid').extension.warnings.map(w => w.slice(0, 160));"))
    show("typeof messages.sendMessage (not granted)", api(tb, "messages.sendMessage", {}).get("error"))
    show("permissions.contains messages.send", api(tb, "permissions.contains", {"permissions": ["messages.send"]}))
    show("runtime.getBrowserInfo", api(tb, "runtime.getBrowserInfo"))
finally:
    tb.stop()
