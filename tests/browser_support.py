"""Shared by the browser tests: Debian's Chromium through Playwright, and the real app started with
``streamlit run`` (the command line of ``monev serve``) on a free port.

Chromium is never downloaded (no ``playwright install``); when it or Playwright is missing the tests
are skipped, unless MONEV_REQUIRE_BROWSER=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.serve import DASHBOARD_DIR, serve_env, streamlit_command
from pipelines.settings import resolve_config_dir

CHROMIUM = os.environ.get("MONEV_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


def browser_missing(reason: str) -> None:
    if os.environ.get("MONEV_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (MONEV_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Debian Chromium driven by Playwright (skips or fails as the module says)."""
    if not Path(CHROMIUM).exists():
        browser_missing(f"Chromium tidak ada di {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_missing("paket playwright tidak terpasang (pip install -e '.[test]')")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(base: str, timeout: float = 5.0) -> str:
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=timeout) as r:
        return r.read().decode()


@contextlib.contextmanager
def running_app(data_dir: Path, log: Path, *, demo: bool = True) -> Iterator[str]:
    """``streamlit run dashboard/app.py`` on a free port (demo mode: as ``monev serve --demo``);
    yields the base URL once the health endpoint answers."""
    port = free_port()
    env = serve_env(Path(data_dir), resolve_config_dir(), demo=demo)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            streamlit_command(port, "127.0.0.1"), cwd=DASHBOARD_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit berhenti ({proc.returncode}):\n{log.read_text(errors='replace')}")
            with contextlib.suppress(OSError):
                if health(base, 2) == "ok":
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit tidak siap dalam 60 detik:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
