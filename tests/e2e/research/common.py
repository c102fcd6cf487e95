"""Shared start-up for the research scripts: one Thunderbird with the mail helper (and the probe)."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.thunderbird import Thunderbird  # noqa: E402

ART = Path(os.environ.get("RESEARCH_ARTIFACTS", "/tmp/rs/artifacts"))
TB140 = "/work/main/build/thunderbird-140/usr/lib/thunderbird/thunderbird"


def start(name: str, **kw) -> Thunderbird:
    prefs = {"extensions.background.idle.timeout": 3_600_000}
    prefs.update(kw.pop("extra_prefs", {}))
    tb = Thunderbird(name, ART, xpi=None, mail=True, extra_prefs=prefs, **kw)
    t0 = time.monotonic()
    tb.start()
    print(f"# {name}: Thunderbird {tb._main().execute('return Services.appinfo.version;')} "
          f"started in {time.monotonic() - t0:.1f}s", flush=True)
    return tb


def show(label, value) -> None:
    print(f"## {label}\n{json.dumps(value, indent=1, ensure_ascii=False, default=str)}", flush=True)


def api(tb: Thunderbird, path: str, *args, server=None, timeout: float = 60.0):
    """messenger.<path>(*args) in the mail helper (or another DriverServer); {ok, value|error, ms}."""
    return (server or tb.mail).call("api", timeout=timeout, path=path, args=list(args))
