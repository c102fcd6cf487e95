"""A private copy of a Thunderbird installation with ``distribution/policies.json``: enterprise
policies for one test instance, without touching the installation other suites run at the same time.

Thunderbird reads ``policies.json`` from ``XREAppDist``: the ``distribution/`` folder of the directory
holding the real binary (symlinks resolved): ``/usr/lib/thunderbird/`` for Debian's ``/usr/bin/thunderbird``
wrapper script, ``build/thunderbird-140/usr/lib/thunderbird/`` for the unpacked 140 ESR. Only
``/etc/thunderbird/policies/policies.json`` takes precedence (Linux builds with MOZ_SYSTEM_POLICIES):
if that file exists, no per-installation file is read, so ``make`` refuses to go on.

The copy is hard-linked (``cp -al``): no file content is copied, the copy shares every file with the
original, so nothing in it may ever be written. ``make`` only adds new files (``distribution/``) and
replaces the copy's own symlinks (directory entries, not shared content); ``check_untouched`` proves
after the run that Thunderbird wrote nothing into it. If hard links are impossible (another
filesystem), it falls back to a full copy (``cp -a``; about 300 MB, measured in ``copy_seconds``).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

# Where a Linux Thunderbird built with MOZ_SYSTEM_POLICIES (Debian's is) looks first.
SYSTEM_POLICIES = Path("/etc/thunderbird/policies/policies.json")


def _is_elf(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"\x7fELF"


def real_binary(exe: str) -> Path:
    """The Thunderbird ELF binary that ``exe`` starts: ``exe`` itself with symlinks resolved, or,
    for Debian's ``/usr/bin/thunderbird`` wrapper script, the ``$MOZ_LIBDIR/$MOZ_APP_NAME`` it execs."""
    path = Path(shutil.which(exe) or exe).resolve()
    if _is_elf(path):
        return path
    text = path.read_text(errors="replace")
    app = re.search(r"^MOZ_APP_NAME=(\S+)", text, re.M)
    libdir = re.search(r"^MOZ_LIBDIR=(\S+)", text, re.M)
    if app and libdir:
        candidate = Path(libdir.group(1).replace("${MOZ_APP_NAME}", app.group(1))) / app.group(1)
        if candidate.exists() and _is_elf(candidate.resolve()):
            return candidate.resolve()
    raise RuntimeError(f"{exe} ({path}) is a script whose Thunderbird binary could not be found: "
                       "set THUNDERBIRD to the binary itself (e.g. /usr/lib/thunderbird/thunderbird)")


def _listing(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (symlinks not followed): what it is, and for files inode/size/mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                out[rel] = ("dir",)
            else:
                out[rel] = ("file", st.st_ino, st.st_size, st.st_mtime_ns)
    return out


@dataclass
class PolicyInstallation:
    """A copy of the installation of ``exe`` in ``directory``, with ``policies`` in its distribution/."""

    exe: str
    directory: Path
    policies: dict
    original: Path = field(init=False)
    binary: Path = field(init=False)
    policies_file: Path = field(init=False)
    copy_seconds: float = 0.0
    hard_linked: bool = True
    _before: dict = field(default_factory=dict, repr=False)

    def make(self) -> "PolicyInstallation":
        if SYSTEM_POLICIES.exists():
            raise RuntimeError(f"{SYSTEM_POLICIES} exists: Thunderbird reads it instead of any "
                               "distribution/policies.json, so a test's own policies cannot apply")
        real = real_binary(self.exe)
        self.original = real.parent
        if (self.original / "distribution" / "policies.json").exists():
            raise RuntimeError(f"{self.original}/distribution/policies.json exists and would be shared by the copy")
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        done = subprocess.run(["cp", "-al", str(self.original), str(self.directory)], capture_output=True, text=True)
        if done.returncode != 0:  # e.g. "Invalid cross-device link": copy the contents instead
            shutil.rmtree(self.directory, ignore_errors=True)
            self.hard_linked = False
            subprocess.run(["cp", "-a", str(self.original), str(self.directory)], check=True)
        self.copy_seconds = time.monotonic() - t0
        # Debian's layout has relative symlinks out of the directory (omni.ja -> ../../share/...):
        # point the copy's links at what they mean in the original.
        for p in self.directory.rglob("*"):
            if p.is_symlink():
                target = os.readlink(p)
                if not os.path.isabs(target):
                    meant = (self.original / p.parent.relative_to(self.directory) / target)
                    if not meant.resolve().is_relative_to(self.original):
                        p.unlink()
                        p.symlink_to(meant.resolve())
        # Started by the name Debian gives it (``thunderbird``, a link to ``thunderbird-bin``) when there is one.
        self.binary = self.directory / ("thunderbird" if (self.directory / "thunderbird").exists() else real.name)
        assert self.binary.resolve().parent == self.directory.resolve(), self.binary
        dist = self.directory / "distribution"
        dist.mkdir()  # a new directory of the copy's own: the original has none (checked above)
        self.policies_file = dist / "policies.json"
        text = json.dumps({"policies": self.policies}, indent=2)
        self.policies_file.write_text(text)
        (self.directory.parent / "policies.json").write_text(text)  # kept after remove(), for the record
        self._before = _listing(self.directory)
        return self

    def check_untouched(self) -> None:
        """Fails if anything in the copy changed since ``make`` (Thunderbird must not write there:
        a write into a hard-linked file would change the shared installation)."""
        after = _listing(self.directory)
        changed = sorted(k for k in set(self._before) | set(after) if self._before.get(k) != after.get(k))
        if changed:
            raise AssertionError(f"Thunderbird changed its installation copy {self.directory}: {changed[:20]}")

    def remove(self) -> None:
        """Deletes the copy (directory entries only; the original's files are untouched)."""
        shutil.rmtree(self.directory, ignore_errors=True)
