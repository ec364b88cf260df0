"""The dashboard of a province installation in a real browser (headless Chromium, ``streamlit run`` outside demo
mode, real logins): an Admin Provinsi lands on Peringkat Pemda with the numbers of ``ranking()``, opens a pemda
from its row and gets that pemda's own Ringkasan; a pemda's viewer following a link to another pemda is refused
without data. Screenshots (1366x768, 1920x1080) go to ``screenshots/provinsi/`` (git-ignored) to be looked at.
Skipped when Chromium or Playwright is missing, unless MONEV_REQUIRE_BROWSER=1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from browser_support import chromium, running_app
from test_dashboard_browser import assert_no_exception, shoot, wait_idle

from pipelines import fmt
from pipelines.auth import add_user
from pipelines.settings import Paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PW = "kalimat-sandi-panjang-1"
SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
T = 90_000


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def server(browser, province_data_dir, tmp_path_factory) -> Iterator[tuple[str, Paths]]:
    """The session's province, its warehouses linked (read-only), with its own state/ for the accounts."""
    d = tmp_path_factory.mktemp("prov-browser") / "jatim"
    d.mkdir()
    shutil.copy(province_data_dir / "provinsi.yaml", d)
    for sub in ("config-provinsi", "curated"):
        (d / sub).symlink_to(province_data_dir / sub, target_is_directory=True)
    (d / "pemda").mkdir()
    for slug in ("3572", "3571", "3505"):
        (d / "pemda" / slug).symlink_to(province_data_dir / "pemda" / slug, target_is_directory=True)
    paths = Paths.from_args(d)
    add_user(paths, "admin.jatim", "provinsi", PW)
    add_user(paths, "walikota.blitar", "pimpinan", PW, pemda="35.72")
    with running_app(d, d.parent / "streamlit.log", demo=False) as base:
        yield base, paths


def login(browser, base: str, path: str, user: str, size: str):
    w, h = SIZES[size]
    ctx = browser.new_context(viewport={"width": w, "height": h}, locale="id-ID")
    page = ctx.new_page()
    page.goto(f"{base}/{path}", wait_until="domcontentloaded", timeout=T)
    page.get_by_label("Kata sandi").wait_for(timeout=T)
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(PW)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Masuk sebagai").wait_for(timeout=T)
    wait_idle(page)
    return ctx, page


@pytest.mark.parametrize("size", list(SIZES))
def test_province_pages_and_drill_down(server, browser, size):
    from pipelines.province import load_province
    from pipelines.province.ranking import ranking

    base, paths = server
    want = ranking(load_province(paths), date_from="2026-01-01", date_to="2026-12-31")
    ctx, page = login(browser, base, "", "admin.jatim", size)
    try:
        page.get_by_role("heading", name="Peringkat Pemda").wait_for(timeout=T)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=T)
        page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=T)
        wait_idle(page)
        shoot(page, f"provinsi/{size}/peringkat")
        assert_no_exception(page, f"peringkat @ {size}")
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert want["rule"] in main
        top = want["rows"][0]
        assert top["name"] in main  # the "Peringkat 1" card
        nav = page.inner_text('[data-testid="stSidebarNav"]')
        assert "Peringkat Pemda" in nav and "Tren Pemda" in nav and "Kinerja OPD" not in nav

        # drill-down: tick the row of the second pemda (the grid's row marker column), then open it
        grid = page.locator('[data-testid="stDataFrame"]').first
        box = grid.bounding_box()
        row = 1
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 * row + 17)
        target = want["rows"][row]
        button = page.get_by_role("button", name=f"Buka halaman {target['name']}")
        button.wait_for(timeout=T)
        button.click()
        page.get_by_role("heading", name="Ringkasan Eksekutif").wait_for(timeout=T)
        wait_idle(page)
        shoot(page, f"provinsi/{size}/drilldown-ringkasan-{target['kode']}", full=False)
        assert_no_exception(page, f"drill-down @ {size}")
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert target["name"] in body
        # the pemda's own Ringkasan card (the running year at its own as-of date) is its row of the ranking
        card = page.locator('[data-testid="stMetric"]').filter(has_text="Pengaduan masuk").first.inner_text()
        assert fmt.number(target["received"]) in card, card
        assert f"pemda={target['kode']}" in page.url

        page.get_by_role("link", name="Tren Pemda").click()
        page.get_by_role("heading", name="Tren Pemda").wait_for(timeout=T)
        page.locator('[data-testid="stPlotlyChart"]').nth(3).wait_for(timeout=T)
        wait_idle(page)
        shoot(page, f"provinsi/{size}/tren")
        assert_no_exception(page, f"tren @ {size}")
    finally:
        ctx.close()


def test_a_pemda_viewer_following_a_link_to_another_pemda_is_refused(server, browser):
    base, _ = server
    ctx, page = login(browser, base, "kinerja_opd?pemda=35.71", "walikota.blitar", "1366x768")
    try:
        page.get_by_role("heading", name="Akses ditolak").wait_for(timeout=T)
        shoot(page, "provinsi/1366x768/ditolak", full=False)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "terbatas pada pemda 35.72" in main and "Kota Kediri" not in main
        assert page.locator('[data-testid="stMetric"], [data-testid="stDataFrame"]').count() == 0
        page.get_by_role("button", name="Buka data pemda 35.72").click()
        page.get_by_role("heading", name="Kinerja OPD").wait_for(timeout=T)  # the page the link named
        wait_idle(page)
        assert "Kota Blitar" in page.locator('[data-testid="stMain"]').inner_text()
        nav = page.inner_text('[data-testid="stSidebarNav"]')
        assert "Peringkat Pemda" not in nav and "Tren Pemda" not in nav
        assert page.get_by_label("Pemda").count() == 0  # no selector with other pemda
    finally:
        ctx.close()
