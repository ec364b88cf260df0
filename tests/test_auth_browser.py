"""Login in a real browser (headless Chromium through Playwright) against ``streamlit run dashboard/app.py``
outside demo mode: the form is all there is before login, a wrong password is refused, a right one opens the
dashboard with the account's pages only, and Keluar returns to the form. Skipped when Chromium or
Playwright is missing, unless MONEV_REQUIRE_BROWSER=1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import chromium, running_app

from pipelines.auth import add_user, list_audit
from pipelines.settings import Paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PW = "kalimat-sandi-panjang-1"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def server(browser, demo_data_dir, tmp_path_factory) -> Iterator[tuple[str, Paths]]:
    d = tmp_path_factory.mktemp("auth-browser") / "data"
    d.mkdir()
    for sub in ("curated", "runs"):
        (d / sub).symlink_to(demo_data_dir / sub, target_is_directory=True)
    paths = Paths.from_args(d)
    add_user(paths, "dishub", "opd", PW, department="Dinas Perhubungan")
    with running_app(d, d.parent / "streamlit.log", demo=False) as base:
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
