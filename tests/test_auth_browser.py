"""Login in a real browser (headless Chromium through Playwright) against ``streamlit run dashboard/app.py``
outside demo mode: the form is all there is before login, a wrong password is refused, a right one opens the
dashboard with the account's pages only, and Keluar returns to the form. Skipped when Chromium or
Playwright is missing, unless MONEV_REQUIRE_BROWSER=1."""

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

from pipelines.auth import add_user, list_audit
from pipelines.serve import DASHBOARD_DIR, serve_env, streamlit_command
from pipelines.settings import Paths, resolve_config_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = os.environ.get("MONEV_CHROMIUM", "/usr/bin/chromium")
PW = "kalimat-sandi-panjang-1"


def _missing(reason: str) -> None:
    if os.environ.get("MONEV_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (MONEV_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium tidak ada di {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("paket playwright tidak terpasang")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                               args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _server(data_dir: Path, log: Path) -> Iterator[str]:
    port = _free_port()
    env = serve_env(data_dir, resolve_config_dir(), demo=False)
    with open(log, "wb") as out:
        proc = subprocess.Popen(streamlit_command(port, "127.0.0.1"), cwd=DASHBOARD_DIR, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace"))
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit tidak siap dalam 60 detik:\n" + log.read_text(errors="replace"))
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def server(browser, demo_data_dir, tmp_path_factory) -> Iterator[tuple[str, Paths]]:
    d = tmp_path_factory.mktemp("auth-browser") / "data"
    d.mkdir()
    for sub in ("curated", "runs"):
        (d / sub).symlink_to(demo_data_dir / sub, target_is_directory=True)
    paths = Paths.from_args(d)
    add_user(paths, "dishub", "opd", PW, department="Dinas Perhubungan")
    with _server(d, d.parent / "streamlit.log") as base:
        yield base, paths


def _login(page, user: str, password: str) -> None:
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_login_in_a_browser(browser, server):
    base, paths = server
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{base}/kinerja_opd?opd=Dinas%20Kesehatan", timeout=90_000)
    page.get_by_label("Kata sandi").wait_for(timeout=90_000)
    body = page.inner_text("body")
    assert "Masuk" in body and "Kinerja OPD" not in body and "Peringkat OPD" not in body
    _login(page, "dishub", "bukan-sandinya-1")
    page.get_by_text("Nama pengguna atau kata sandi salah.").wait_for(timeout=60_000)
    _login(page, "dishub", PW)
    page.get_by_text("Masuk sebagai").wait_for(timeout=90_000)
    # the link's page opens after login; its foreign OPD parameter is not applied
    page.get_by_role("heading", name="Kinerja OPD").wait_for(timeout=90_000)
    page.get_by_text("Peringkat OPD").wait_for(timeout=90_000)
    assert "Dinas Kesehatan" not in page.inner_text('[data-testid="stSidebar"]')
    nav = page.inner_text('[data-testid="stSidebarNav"]')
    assert "Kinerja OPD" in nav and "Unduh Rapor" in nav
    assert "Unggah Data" not in nav and "Log Audit" not in nav and "Kualitas Data" not in nav
    assert "Admin OPD – Dinas Perhubungan" in page.inner_text('[data-testid="stSidebar"]')
    assert "DEMO" not in page.inner_text("body")
    page.get_by_role("button", name="Keluar").click()
    page.get_by_text("Anda sudah keluar.").wait_for(timeout=60_000)
    page.get_by_text("Masuk sebagai").wait_for(state="detached", timeout=60_000)  # the old page is gone
    assert page.get_by_label("Kata sandi").is_visible()
    assert "Ringkasan Eksekutif" not in page.inner_text("body")
    page.close()
    acts = [e.action for e in reversed(list_audit(paths, user="dishub", limit=None)) if e.source == "dasbor"]
    assert acts == ["login_failed", "login_ok", "logout"]
