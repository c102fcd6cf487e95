"""How long an allowed send takes in real Thunderbird with CcGuard, against an add-on whose
compose.onBeforeSend listener answers at once, and how soon the warning opens after Send for a
send CcGuard holds (``./build.sh bench``; prints, asserts nothing).

Each variant runs in its own headless Thunderbird with the same profile: two sends to warm up,
then SENDS ordinary messages (one customer, two colleagues: CcGuard reads the settings, the
user's identities and the address book's lists, judges, and lets it go) back to back. A send is
timed from compose.sendMessage to its promise resolving, which Thunderbird does once the SMTP
server took the message; the time to the loopback SMTP sink is printed too. A held send is timed
from just before compose.sendMessage is asked for to the warning page's own marks (warning.js):
"shown" when the verdict is on screen, "ready" when its buttons are live (after a short pause, so
that an Enter meant for the compose window cannot act on the warning).

    python3 tests/e2e/bench_send.py [ccguard.xpi]
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest import ARTIFACTS, ccguard_xpi  # noqa: E402
from harness.scenario import SENDER_EMAIL, Steps, customers, unique_subject  # noqa: E402
from harness.thunderbird import CCGUARD_ID, Thunderbird  # noqa: E402

SENDS = 15
HELD = {"7 customers in Cc": 7, "475 customers in Cc (Sonos)": 475}
HELD_SENDS = 8
MARKS = """const at = (name) => { const p = window.performance, m = p.getEntriesByName(name)[0];
  return m ? p.timeOrigin + m.startTime : null; };
return {shown: at("ccguard-shown"), ready: at("ccguard-ready")};"""
RECIPIENTS = {"to": ["Carla Customer <carla.customer@gmail.com>"], "cc": ["bob@shop.example", "eve@shop.example"]}

# The reference: an MV3 add-on (CcGuard's id, so the harness installs it in CcGuard's place) whose
# onBeforeSend listener answers at once.
INSTANT_MANIFEST = {
    "manifest_version": 3, "name": "instant onBeforeSend", "version": "1.0",
    "browser_specific_settings": {"gecko": {"id": CCGUARD_ID, "strict_min_version": "128.0"}},
    "permissions": ["compose"], "background": {"scripts": ["background.js"], "type": "module"},
}
INSTANT_BACKGROUND = "messenger.compose.onBeforeSend.addListener(() => ({}));\n"


def instant_xpi(directory: Path) -> Path:
    out = directory / "instant.xpi"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("manifest.json", json.dumps(INSTANT_MANIFEST))
        z.writestr("background.js", INSTANT_BACKGROUND)
    return out


def measure(label: str, xpi: Path) -> tuple[list[float], list[float]]:
    tb = Thunderbird(f"bench-{label}", ARTIFACTS, xpi, None)
    tb.start()
    steps = Steps(tb)
    resolved, delivered = [], []
    try:
        for i in range(SENDS + 2):
            subject = unique_subject(f"bench-{label}")
            tab = steps.compose(to=[SENDER_EMAIL, *RECIPIENTS["to"]], cc=RECIPIENTS["cc"], subject=subject)
            time.sleep(0.3)  # the compose window settles before the clock starts
            t0 = time.perf_counter()
            pending = steps.send(tab)
            out = pending.outcome(60)
            t1 = time.perf_counter()
            assert out["ok"], f"{label}: the send failed: {out}"
            steps.sink.wait_for(1, timeout=30, subject=subject)
            t2 = time.perf_counter()
            if i >= 2:
                resolved.append((t1 - t0) * 1000)
                delivered.append((t2 - t0) * 1000)
        assert not any(p for p in tb.popups()), f"{label}: a window opened for an ordinary send"
        if label == "ccguard":
            held = {name: held_sends(steps, n) for name, n in HELD.items()}
    finally:
        tb.stop()
    return resolved, delivered, held if label == "ccguard" else None


def held_sends(steps: Steps, n: int) -> dict[str, list[float]]:
    """Send to `n` customers HELD_SENDS times (one to warm up): ms from Send to "shown" and "ready"."""
    times = {"shown": [], "ready": []}
    for i in range(HELD_SENDS + 1):
        tab = steps.compose(to=[SENDER_EMAIL], cc=customers(n, prefix=f"held{n}-{i}-"), subject=unique_subject("bench-held"))
        time.sleep(0.5)
        t0 = time.time() * 1000
        pending = steps.send(tab)
        warning = steps.wait_warning()
        marks = warning.eval(MARKS)
        warning.click("back-to-edit")
        steps.expect_rejected(pending)
        steps.close_tab(tab)
        if i >= 1:
            for key in times:
                times[key].append(marks[key] - t0)
    return times


def main() -> None:
    xpi = Path(sys.argv[1]) if len(sys.argv) > 1 else ccguard_xpi()
    with tempfile.TemporaryDirectory() as tmp:
        runs = {"instant": measure("instant", instant_xpi(Path(tmp))), "ccguard": measure("ccguard", xpi)}
    print(f"an allowed send in real Thunderbird, {SENDS} back to back each (median / p90, ms)")
    for label, (resolved, delivered, _) in runs.items():
        name = "CcGuard" if label == "ccguard" else "an onBeforeSend that answers at once"
        p90 = lambda xs: sorted(xs)[int(0.9 * (len(xs) - 1))]  # noqa: E731
        print(f"  {name:38} sendMessage resolves {statistics.median(resolved):7.1f} / {p90(resolved):7.1f}"
              f"   at the SMTP sink {statistics.median(delivered):7.1f} / {p90(delivered):7.1f}")
    extra = statistics.median(runs["ccguard"][0]) - statistics.median(runs["instant"][0])
    print(f"  CcGuard's median minus the reference's: {extra:+.1f} ms")
    print(f"a held send: from Send to the warning, {HELD_SENDS} each (median / max, ms)")
    for name, times in runs["ccguard"][2].items():
        print(f"  {name:38} on screen {statistics.median(times['shown']):7.1f} / {max(times['shown']):7.1f}"
              f"   buttons live {statistics.median(times['ready']):7.1f} / {max(times['ready']):7.1f}")


if __name__ == "__main__":
    main()
