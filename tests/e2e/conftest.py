"""Fixtures of the CcGuard end-to-end suite (real headless Thunderbird + loopback SMTP sink).

One Thunderbird is started per session (``tb``) and reused; every test gets a clean slate
(``steps``): warning windows and compose windows of earlier tests are closed, and each test uses
its own unique subject, so a late message from another test can never satisfy it.
Scenarios that need other prefs start their own instance (``thunderbird_factory``).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness.scenario import Steps  # noqa: E402
from harness.thunderbird import Thunderbird  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / ".artifacts" / "e2e"
# The README's screenshot comes from the reference Thunderbird; runs on other versions write
# theirs elsewhere (build.sh sets CCGUARD_SCREENSHOT for them).
SCREENSHOT = Path(os.environ.get("CCGUARD_SCREENSHOT") or REPO / "docs" / "screenshots" / "warning.png")


def ccguard_xpi() -> Path:
    """``$CCGUARD_XPI`` if set, else the newest ``dist/ccguard-*.xpi``. Missing = failure, never a skip."""
    env = os.environ.get("CCGUARD_XPI")
    if env:
        path = Path(env)
        if not path.is_file():
            pytest.fail(f"CCGUARD_XPI={env!r} is not a file; build it with ./build.sh", pytrace=False)
        return path.resolve()
    found = sorted((REPO / "dist").glob("ccguard-*.xpi"), key=lambda p: p.stat().st_mtime)
    if not found:
        pytest.fail("no dist/ccguard-*.xpi: run ./build.sh first (or set CCGUARD_XPI)", pytrace=False)
    return found[-1].resolve()


def pytest_report_header(config):
    from harness.thunderbird import thunderbird_binary

    exe = thunderbird_binary()
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    return [f"thunderbird: {version} ({exe})", f"xpi: {os.environ.get('CCGUARD_XPI', 'newest dist/ccguard-*.xpi')}"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


class _Factory:
    def __init__(self):
        self.running: list[Thunderbird] = []

    def start(self, name: str, extra_prefs: dict | None = None, xpi: Path | None = None,
              policies: dict | None = None, side_load_ccguard: bool = True, mail: bool = False) -> Thunderbird:
        """``policies``: enterprise policies, written to distribution/policies.json of a hard-linked
        copy of the installation the instance runs from (harness/installation.py).
        ``side_load_ccguard=False``: CcGuard is not put into the profile (a policy installs it).
        ``mail``: the mail helper too (received messages, replies: harness/mailbox.py)."""
        tb = Thunderbird(name, ARTIFACTS, (xpi or ccguard_xpi()) if side_load_ccguard else None, extra_prefs,
                         policies=policies, mail=mail)
        self.running.append(tb)
        tb.start()
        return tb

    def stop(self, tb: Thunderbird) -> None:
        tb.stop()
        if tb in self.running:
            self.running.remove(tb)


@pytest.fixture(scope="session")
def thunderbird_factory():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(ARTIFACTS / "failures", ignore_errors=True)
    factory = _Factory()
    yield factory
    for tb in list(factory.running):
        factory.stop(tb)


@pytest.fixture(scope="session")
def tb(thunderbird_factory):
    """The shared Thunderbird of the session (default prefs, CcGuard + the driver installed)."""
    return thunderbird_factory.start("main")


def _reset(tb: Thunderbird) -> None:
    """Leave no leftovers for the next test: no warning windows, no compose windows, an empty sink."""
    # = "back to editing" for anything still pending. Closing a window of Send separately while
    # copies go out opens a report of what went: closed in the next round.
    for _ in range(3):
        tb.close_all_popups()
        if _wait(lambda: not tb.popups(), 5):
            break
    else:
        raise AssertionError(f"could not close leftover extension windows: {tb.popups()}")

    def no_compose():
        return not any(w["type"] == "messageCompose" for w in tb.driver.call("windows"))

    if not no_compose():
        try:
            tb.driver.call("closeComposeWindows", timeout=15)
        except Exception:
            pass
        if not _wait(no_compose, 10):
            tb.close_compose_windows_chrome()
            if not _wait(no_compose, 5):
                raise AssertionError(f"could not close leftover compose windows: {tb.driver.call('windows')}")
    tb.sink.clear()


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _save_failure_artifacts(tb: Thunderbird, request) -> None:
    out = ARTIFACTS / "failures" / request.node.name
    out.mkdir(parents=True, exist_ok=True)
    try:
        for p in tb.popups():
            (out / f"popup-{p['bcid']}.png").write_bytes(tb.screenshot(p["bcid"]))
    except Exception as e:  # best effort
        (out / "screenshot-error.txt").write_text(repr(e))
    (out / "thunderbird-log-tail.txt").write_text(tb.log_tail(400))
    (out / "smtp-transcript.txt").write_bytes(b"\n".join(tb.sink.transcript[-2000:]))


def make_steps(tb: Thunderbird, request):
    if tb.proc is None or tb.proc.poll() is not None:
        pytest.fail(f"Thunderbird {tb.name} is not running (log: {tb.log_path})\n{tb.log_tail()}", pytrace=False)
    _reset(tb)
    yield Steps(tb)
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        _save_failure_artifacts(tb, request)
    if tb.proc is not None and tb.proc.poll() is None:
        _reset(tb)


@pytest.fixture
def steps(tb, request):
    """Clean state on the shared Thunderbird."""
    yield from make_steps(tb, request)


def stored_policy(tb, forget_groups: bool = False):
    """Yields a setter of CcGuard's stored policy (storage.local, written from its own options
    page); the policy is put back to {} (all defaults) afterwards, even after a failed test, and
    with `forget_groups` the groups it remembered are forgotten too."""
    from harness.options_page import OptionsPage, StoredPolicy

    page = OptionsPage.open(tb)
    setter = StoredPolicy(page)
    try:
        setter.set({})
        yield setter
    finally:
        try:
            setter.set({})
            if forget_groups:
                setter.forget_groups()
        finally:
            page.close()


@pytest.fixture
def policy(tb, steps):
    yield from stored_policy(tb)


@pytest.fixture
def screenshot_path() -> Path:
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT


def docs_screenshot(name: str, png: bytes) -> Path:
    """Writes a README screenshot: ``docs/screenshots/<name>.png`` from the reference
    Thunderbird, next to ``$CCGUARD_SCREENSHOT`` (as ``<name>-<its stem>.png``) otherwise."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000, f"suspicious screenshot {name} ({len(png)} bytes)"
    if os.environ.get("CCGUARD_SCREENSHOT"):
        path = SCREENSHOT.parent / f"{name}-{SCREENSHOT.stem}.png"
    else:
        path = REPO / "docs" / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return path
