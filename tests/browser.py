"""Headless Chromium for tests: open a local page, screenshot it, dump its DOM, read its console.

A browser is the only judge of whether an HTML page really renders, so the page tests
use one; a machine without Chromium skips them (with the install command in the reason)
instead of failing, so a fresh CI stays green.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pytest

CANDIDATES: tuple[str, ...] = ("/usr/bin/chromium", "chromium", "chromium-browser")
INSTALL_COMMAND = "apt-get update && apt-get install -y chromium"
# Chromium logs console messages (errors, uncaught exceptions, CSP violations) as
# `...:INFO:CONSOLE:12] "message", source: ...` (older builds: `CONSOLE(12)`).
_CONSOLE = re.compile(r":CONSOLE[:(]\d+\)?\]\s*(.*)")
_FLAGS: tuple[str, ...] = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
)


def find_chromium() -> Optional[str]:
    """The Chromium binary, or None when none is installed."""
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium binary, or skip the calling test with the command that installs it."""
    binary = find_chromium()
    if binary is None:
        pytest.skip(f"chromium is not installed; install it with: {INSTALL_COMMAND}")
    return binary


@dataclass
class BrowserRun:
    """What one headless Chromium run left behind."""

    returncode: int
    stdout: str
    stderr: str
    console: list[str] = field(default_factory=list)  # our pages run no script: any message is a problem
    screenshot: Optional[Path] = None


def console_messages(stderr: str) -> list[str]:
    """Every console message Chromium logged, plus any uncaught error reported outside one."""
    messages = [match.group(1) for match in _CONSOLE.finditer(stderr)]
    messages += [line for line in stderr.splitlines() if "Uncaught" in line and ":CONSOLE" not in line]
    return messages


def _run(page: Path, extra: list[str], *, width: int, height: int, timeout: float) -> BrowserRun:
    binary = require_chromium()
    with tempfile.TemporaryDirectory(prefix="cds-chromium-") as profile:
        command = [binary, *_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                   *extra, page.resolve().as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return BrowserRun(done.returncode, done.stdout, done.stderr, console_messages(done.stderr))


def screenshot(page: Path, out: Path, *, width: int = 1280, height: int = 2000, timeout: float = 120) -> BrowserRun:
    """Render `page` and save a PNG of its first `height` pixels at `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    run = _run(page, [f"--screenshot={out.resolve()}"], width=width, height=height, timeout=timeout)
    run.screenshot = out if out.is_file() else None
    return run


def dump_dom(page: Path, *, width: int = 1280, height: int = 2000, timeout: float = 120) -> BrowserRun:
    """Render `page` and return the DOM as the browser built it (in `stdout`)."""
    return _run(page, ["--dump-dom"], width=width, height=height, timeout=timeout)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG header, to check the screenshot is the size asked for."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
