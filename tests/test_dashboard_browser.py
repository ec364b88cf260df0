"""The dashboard end to end in headless Chromium (Playwright): the real app started with ``streamlit run``
(the command line of ``monev serve --demo``) against the session's demo warehouse.

- every page opens at a laptop (1366x768) and a projector (1920x1080) size, finishes its run, shows its
  title, its own content and the published snapshot, and shows no exception (no Streamlit exception
  element, no error box, no "Traceback", no Python exception name); a full-page screenshot of each is
  saved in ``screenshots/`` (git-ignored) to be looked at;
- Mode Rapat (toggle and ``?rapat=1``) hides the sidebar and steps through its slides;
- while ``monev run`` publishes a new warehouse in another process the app keeps answering (health
  endpoint and real page loads), and afterwards shows the new snapshot.

Select with ``-m browser``. Uses Debian's Chromium (/usr/bin/chromium; never ``playwright install``); the
tests are skipped when it is missing, unless MONEV_REQUIRE_BROWSER=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import chromium, health, running_app

from dashboard.pages import DATA_PAGES, TITLES
from pipelines import fmt

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"
VIEWPORTS = {"1024x768": (1024, 768), "1366x768": (1366, 768), "1920x1080": (1920, 1080)}
RUN_TIMEOUT_MS = 90_000

# url path -> (title, texts that only this page shows, CSS selector of an element it must draw)
PAGES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "ringkasan": (TITLES["ringkasan"], ("OPD yang perlu perhatian", "Mode Rapat"), '[data-testid="stMetric"]'),
    "kinerja_opd": (TITLES["kinerja_opd"], ("Peringkat OPD", "Rincian OPD"), '[data-testid="stDataFrame"]'),
    "tren_kategori": (TITLES["tren_kategori"], ("Tren kategori", "Komposisi kanal per bulan"),
                      '[data-testid="stPlotlyChart"]'),
    "wilayah": (TITLES["wilayah"], (), '[data-testid="stPlotlyChart"]'),
    "sla_tunggakan": (TITLES["sla_tunggakan"], ("Ketepatan waktu per langkah", "Peringatan dini"),
                      '[data-testid="stDataFrame"]'),
    "penilaian": (TITLES["penilaian"], ("Indikator, nilai dan masukannya", "Jalan ke predikat berikutnya"),
                  '[data-testid="stPlotlyChart"]'),
    "kualitas_data": (TITLES["kualitas_data"], ("Karantina",), '[data-testid="stTabs"]'),
    "unggah_data": (TITLES["unggah_data"], ("1. Pilih berkas",), '[data-testid="stFileUploader"]'),
    "bukti_dukung": (TITLES["bukti_dukung"], ("Catat bukti dukung", "Daftar bukti dukung"), '[data-testid="stForm"]'),
    "glosarium": (TITLES["glosarium"], ("Aturan tampilan dasbor", "Rumus:"), '[data-testid="stTextInput"]'),
    "unduh_rapor": (TITLES["unduh_rapor"], ("Buat ZIP",), '[data-testid="stButton"]'),
    "log_audit": (TITLES["log_audit"], ("Siapa melakukan apa",), '[data-testid="stSelectbox"]'),
    "daftar_kerja": (TITLES["daftar_kerja"], ("Per OPD", "Seluruh daftar"), '[data-testid="stDataFrame"]'),
    "pejabat_penghubung": (TITLES["pejabat_penghubung"], ("Status register", "Tambah pejabat penghubung"),
                           '[data-testid="stForm"]'),
}
assert set(PAGES) == set(DATA_PAGES), "every page of the registry (dashboard/pages.py) is checked here"
DEFAULT_PAGE = "ringkasan"
EXCEPTION_NAME = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception)\b")


# ---------------------------------------------------------------- the browser and the app


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def app_url(browser, demo_data_dir, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with running_app(demo_data_dir, log) as base:
        yield base


@pytest.fixture(scope="module")
def snapshot_info(demo_data_dir) -> tuple[str, str]:
    import duckdb

    con = duckdb.connect(str(demo_data_dir / "curated" / "monev.duckdb"), read_only=True)
    try:
        sid, as_of = con.execute("SELECT snapshot_id, as_of FROM snapshot").fetchone()
    finally:
        con.close()
    return sid, fmt.date_long(as_of)


# ---------------------------------------------------------------- page helpers


def wait_idle(page, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected and its script has finished running (twice, a moment apart, so
    a rerun that starts right after a run is waited for too)."""
    app = page.locator('[data-testid="stApp"]')
    for _ in range(2):
        app.and_(page.locator('[data-test-connection-state="CONNECTED"]')).wait_for(timeout=timeout_ms)
        page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=timeout_ms)
        page.wait_for_timeout(400)
    # elements still marked stale (greyed) mean the run has not redrawn them yet
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout_ms,
    )


def url(base: str, path: str) -> str:
    """The page's address; the default page (Ringkasan) lives at the root (Streamlit knows no
    /ringkasan)."""
    return f"{base}/" if path in ("", DEFAULT_PAGE) else f"{base}/{path}"


def open_page(browser, base: str, path: str, viewport: tuple[int, int], query: str = ""):
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="id-ID")
    page = ctx.new_page()
    page.goto(url(base, path) + query, wait_until="domcontentloaded", timeout=RUN_TIMEOUT_MS)
    wait_idle(page)
    return ctx, page


def assert_no_exception(page, where: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, f"{where}: Streamlit exception"
    dialogs = page.locator('[role="dialog"]')
    assert dialogs.count() == 0, f"{where}: dialog {dialogs.all_inner_texts()}"
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, f"{where}: error box: {errors.all_inner_texts()}"
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert "Traceback" not in text, where
    # Streamlit's own message for an uncaught exception when details are hidden (showErrorDetails=none)
    assert "encountered an error" not in text, where
    assert "kesalahan tak terduga" not in text, f"{where}: {text[:2000]}"
    m = EXCEPTION_NAME.search(text)
    assert m is None, f"{where}: exception name {m.group(0)!r} on the page"


def assert_page(page, path: str, snapshot: tuple[str, str]) -> None:
    title, texts, selector = PAGES[path]
    main = page.locator('[data-testid="stMain"]')
    h1 = main.locator("h1")
    assert title in h1.all_inner_texts(), (path, h1.all_inner_texts())
    body = main.inner_text()
    for t in texts:
        assert t in body, (path, t)
    assert page.locator(selector).count() > 0, (path, selector)
    # the header: the data date and a human data version; the snapshot id only in its tooltip
    sid, as_of = snapshot
    assert shown_snapshot(page) == sid, path
    assert "Versi data: " in body and "Snapshot " not in body, path
    assert f"Data per {as_of}" in body, path
    assert "DEMO" in body, path


def shown_snapshot(page) -> str | None:
    """The snapshot id the header names (its tooltip / data-snapshot attribute)."""
    el = page.locator("[data-snapshot]").first
    return el.get_attribute("data-snapshot") if el.count() else None


def shoot(page, name: str, *, full: bool = True) -> Path:
    """Save what the screen shows (``<name>.png``) and, with ``full``, the whole page
    (``<name>-full.png``). Streamlit scrolls inside its main container, not the document, so the
    whole page is taken by making the window as tall as the content for a moment."""
    p = SHOTS / f"{name}.png"
    p.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(p))
    if full:
        size = page.viewport_size
        height = page.evaluate(
            "() => Math.max(...Array.from(document.querySelectorAll("
            "'[data-testid=\"stMain\"], [data-testid=\"stSidebarContent\"]')).map(e => e.scrollHeight))"
        )
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 12_000))})
        page.wait_for_timeout(500)
        page.screenshot(path=str(p.with_name(f"{p.stem}-full.png")))
        page.set_viewport_size(size)
    return p


# ---------------------------------------------------------------- every page, two screen sizes


# every page at a laptop and a full-HD size; the projector size (1024x768) is checked where it matters
# (Mode Rapat), so the suite stays fast
PAGE_SIZES = ("1366x768", "1920x1080")


@pytest.mark.parametrize("size", PAGE_SIZES)
@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_without_errors(browser, app_url, snapshot_info, path, size):
    ctx, page = open_page(browser, app_url, path, VIEWPORTS[size])
    try:
        p = shoot(page, f"{size}/{path}")  # first, so a failure can be looked at
        assert_no_exception(page, f"{path} @ {size}")
        assert_page(page, path, snapshot_info)
        assert p.stat().st_size > 10_000
    finally:
        ctx.close()


def test_sidebar_navigation_keeps_filters(browser, app_url, snapshot_info):
    """Moving between pages with the sidebar links: each page runs cleanly and a filter set on one page
    is still applied (and in the URL) on the next."""
    ctx, page = open_page(browser, app_url, "ringkasan", VIEWPORTS["1366x768"])
    try:
        assert_page(page, "ringkasan", snapshot_info)
        # pick the first kanal in the sidebar filter
        sidebar = page.locator('[data-testid="stSidebar"]')
        box = sidebar.get_by_role("combobox", name="Kanal", exact=True)
        box.click()
        if page.locator('[role="option"]').count() == 0:
            box.press("ArrowDown")
        options = page.locator('[role="option"]')
        options.first.wait_for(timeout=RUN_TIMEOUT_MS)
        assert "Select all" not in options.all_inner_texts()  # no English in the filter list
        option = options.first
        channel = option.inner_text().strip()
        option.click()
        page.keyboard.press("Escape")
        wait_idle(page)
        assert f"Filter: Kanal: {channel}" in page.locator('[data-testid="stMain"]').inner_text()
        for path in ("kinerja_opd", "tren_kategori", "wilayah", "sla_tunggakan", "penilaian", "glosarium"):
            title = PAGES[path][0]
            page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
            page.locator('[data-testid="stMain"] h1', has_text=title).wait_for(timeout=RUN_TIMEOUT_MS)
            wait_idle(page)
            assert_no_exception(page, f"sidebar -> {path}")
            assert_page(page, path, snapshot_info)
            if path in ("kinerja_opd", "tren_kategori", "wilayah", "sla_tunggakan"):
                assert channel in page.locator('[data-testid="stMain"]').inner_text(), path
                assert "kanal=" in page.url, page.url
    finally:
        ctx.close()


def test_mode_rapat(browser, app_url, snapshot_info):
    """The Mode Rapat toggle: no sidebar, large type, one idea per screen, stepping through the slides."""
    ctx, page = open_page(browser, app_url, "ringkasan", VIEWPORTS["1920x1080"])
    try:
        assert page.locator('[data-testid="stSidebar"]').is_visible()
        page.locator('[data-testid="stMain"]').get_by_text("Mode Rapat").click()
        page.get_by_text("1 / 5 · Kinerja utama").wait_for(timeout=RUN_TIMEOUT_MS)
        wait_idle(page)
        assert_no_exception(page, "rapat 1")
        assert "slide=1" in page.url
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert "rapat=1" in page.url
        assert page.locator('[data-testid="stMetric"]').count() >= 3
        size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
        assert size == "21px", size
        shoot(page, "1920x1080/rapat-1", full=False)
        slides = ["Tren bulanan", "Tunggakan", "OPD yang perlu perhatian", "Kategori yang naik"]
        for n, name in enumerate(slides, start=2):
            page.get_by_role("button", name="Berikutnya ▶").click()
            page.get_by_text(f"{n} / 5 · {name}").wait_for(timeout=RUN_TIMEOUT_MS)
            wait_idle(page)
            assert_no_exception(page, f"rapat {n}")
            assert f"slide={n}" in page.url
            assert page.locator('[data-testid="stMain"] h2', has_text=name).count() == 1
            shoot(page, f"1920x1080/rapat-{n}", full=False)
        assert page.get_by_role("button", name="Berikutnya ▶").is_disabled()
    finally:
        ctx.close()
    # a link with ?rapat=1&slide=3 opens straight into that slide (at a laptop size too)
    ctx, page = open_page(browser, app_url, "ringkasan", VIEWPORTS["1366x768"], query="?rapat=1&slide=3")
    try:
        page.get_by_text("3 / 5 · Tunggakan").wait_for(timeout=RUN_TIMEOUT_MS)
        assert_no_exception(page, "rapat via URL")
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        shoot(page, "1366x768/rapat-1", full=False)
    finally:
        ctx.close()


# ---------------------------------------------------------------- publishing while serving


def _copy_demo(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.wal", "*.tmp"))
    return dst


def test_app_keeps_answering_while_a_new_warehouse_is_published(browser, demo_data_dir, tmp_path):
    """`monev run` in another process rebuilds and publishes while the app is asked for pages: every
    health check and every page load succeeds and shows a snapshot, and after the publish the app shows
    the new snapshot."""
    import duckdb

    data = _copy_demo(demo_data_dir, tmp_path / "data")
    wh = data / "curated" / "monev.duckdb"

    def snap_id() -> str:
        con = duckdb.connect(str(wh), read_only=True)
        try:
            return con.execute("SELECT snapshot_id FROM snapshot").fetchone()[0]
        finally:
            con.close()

    old = snap_id()
    # `monev run` rebuilds and publishes every time (the snapshot id carries the build time)
    with running_app(data, tmp_path / "streamlit.log") as base:
        ctx = browser.new_context(viewport={"width": 1366, "height": 768})
        page = ctx.new_page()
        try:
            page.goto(f"{base}/kinerja_opd", timeout=RUN_TIMEOUT_MS)
            wait_idle(page)
            assert shown_snapshot(page) == old

            env = {**os.environ, "MONEV_PII_SALT": os.environ.get("MONEV_PII_SALT", "test-salt")}
            build = subprocess.Popen(
                [sys.executable, "-m", "pipelines.cli", "run", "--data-dir", str(data), "-q"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            )
            health_results: list[str] = []
            stop = threading.Event()

            def poll_health() -> None:
                while not stop.is_set():
                    try:
                        health_results.append(health(base, 10))
                    except OSError as exc:
                        health_results.append(f"{type(exc).__name__}: {exc}")
                    time.sleep(0.2)

            poller = threading.Thread(target=poll_health, daemon=True)
            poller.start()
            loads: list[str] = []
            paths = ["ringkasan", "kinerja_opd", "sla_tunggakan", "tren_kategori", "wilayah"]
            i = 0
            while build.poll() is None:
                path = paths[i % len(paths)]
                i += 1
                page.goto(url(base, path), timeout=RUN_TIMEOUT_MS)
                wait_idle(page)
                assert_no_exception(page, f"{path} during the build")
                body = page.locator('[data-testid="stMain"]').inner_text()
                assert PAGES[path][0] in body, path
                found = shown_snapshot(page)
                assert found, body[:500]
                loads.append(found)
            out = build.stdout.read().decode(errors="replace")
            stop.set()
            poller.join(timeout=15)
            assert build.returncode == 0, out
            new = snap_id()
            assert new != old, "monev run did not publish a new snapshot"
            assert health_results and all(r == "ok" for r in health_results), health_results
            assert len(loads) >= 2, loads
            assert set(loads) <= {old, new}, loads
            print(f"during the build: {len(health_results)} health checks, {len(loads)} page loads {loads}")

            page.goto(url(base, "ringkasan"), timeout=RUN_TIMEOUT_MS)
            wait_idle(page)
            assert_no_exception(page, "after the publish")
            assert shown_snapshot(page) == new
        finally:
            ctx.close()



# ---------------------------------------------------------------- meeting-grade presentation (issue 16)

FITS_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = document.querySelector('[data-testid="stMainBlockContainer"]') || main;
  const bottom = Math.max(...Array.from(block.querySelectorAll('[data-testid="stElementContainer"]'))
      .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().bottom));
  return {scroll: main.scrollHeight, client: main.clientHeight, bottom: bottom, height: window.innerHeight};
}"""


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_meeting_slide_fits_the_screen(browser, app_url, size):
    """Mode Rapat at a projector (1024x768), a laptop and a full-HD screen: every slide's content ends
    inside the viewport (no scrolling), and the slide number is in the URL."""
    ctx, page = open_page(browser, app_url, "ringkasan", VIEWPORTS[size], query="?rapat=1")
    try:
        for n, name in enumerate(["Kinerja utama", "Tren bulanan", "Tunggakan", "OPD yang perlu perhatian",
                                  "Kategori yang naik"], start=1):
            if n > 1:
                page.get_by_role("button", name="Berikutnya ▶").click()
            page.get_by_text(f"{n} / 5 · {name}").wait_for(timeout=RUN_TIMEOUT_MS)
            wait_idle(page)
            assert_no_exception(page, f"rapat {n} @ {size}")
            if n in (2, 3, 5):  # a chart slide: the chart is drawn and fills most of the screen
                page.locator('[data-testid="stMain"] .js-plotly-plot .main-svg').first.wait_for(timeout=RUN_TIMEOUT_MS)
                page.wait_for_timeout(400)
                h = page.evaluate("document.querySelector('[data-testid=\"stMain\"] .js-plotly-plot')"
                                  ".getBoundingClientRect().height")
                assert h > VIEWPORTS[size][1] * 0.5, (size, n, h)
            shoot(page, f"{size}/rapat-{n}", full=False)
            m = page.evaluate(FITS_JS)
            assert m["scroll"] <= m["client"] + 2, (size, n, m)
            assert m["bottom"] <= m["height"] + 1, (size, n, m)
            assert f"slide={n}" in page.url, page.url
            takeaway = page.locator("p.takeaway").inner_text()
            assert len(takeaway) > 20 and any(ch.isdigit() for ch in takeaway), takeaway
    finally:
        ctx.close()


def test_backlog_takeaway_says_the_engines_numbers(browser, app_url, demo_con):
    """The sentence on the backlog slide: overdue count, change and the OPD with most, from compute()."""
    import datetime as dt

    from pipelines.kpi import compute

    cur = compute(demo_con, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    top = max((d for d in cur["by_department"] if d["backlog_overdue"]), key=lambda d: (d["backlog_overdue"],
                                                                                     d["department"]))
    ctx, page = open_page(browser, app_url, "ringkasan", VIEWPORTS["1366x768"], query="?rapat=1&slide=3")
    try:
        text = page.locator("p.takeaway").inner_text()
        assert text.startswith(f"Tunggakan lewat batas {fmt.number(cur['backlog_overdue'])}"), text
        assert f": {fmt.number(top['backlog_overdue'])}." in text, (text, top)
    finally:
        ctx.close()


def test_league_shows_every_ranked_opd_and_opens_a_detail_by_url(browser, app_url, demo_con):
    import datetime as dt

    from pipelines.kpi import compute

    cur = compute(demo_con, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    ranked = sorted((d for d in cur["by_department"] if d.get("rank") is not None), key=lambda d: d["rank"])
    ctx, page = open_page(browser, app_url, "kinerja_opd", VIEWPORTS["1366x768"])
    try:
        names = page.locator("table.league tbody td.opd a").all_inner_texts()
        # every ranked OPD, with its full name, in rank order (ties in either order)
        assert sorted(n.strip() for n in names) == sorted(d["department"] for d in ranked)
        rank = {d["department"]: d["rank"] for d in ranked}
        shown = [rank[n.strip()] for n in names]
        assert shown == sorted(shown), shown
        assert page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() == 0 or \
            page.locator("table.league").is_visible()
        cols = page.locator("table.league thead th").all_inner_texts()
        assert "Cakupan" not in cols and "Pengaduan dalam cakupan" in [c.replace("\n", " ") for c in cols]
    finally:
        ctx.close()
    ctx, page = open_page(browser, app_url, "kinerja_opd", VIEWPORTS["1366x768"], query="?rincian=Dishub")
    try:
        page.locator("#rincian-opd").wait_for(timeout=RUN_TIMEOUT_MS)
        page.wait_for_timeout(1200)  # the scroll runs after the page is drawn
        top = page.evaluate("document.getElementById('rincian-opd').getBoundingClientRect().top")
        assert 0 <= top < 768, top  # the detail is on the screen
        assert "Dinas Perhubungan" in page.locator('[data-testid="stMain"]').inner_text()
        assert "rincian=" in page.url
    finally:
        ctx.close()


def test_map_renders_offline_with_the_engines_values(browser, app_url, demo_con):
    """The kelurahan map needs no network (every request outside the app server is refused) and
    colours each kelurahan with by_kelurahan of compute()."""
    import datetime as dt

    from pipelines.kpi import compute

    cur = compute(demo_con, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    outside: list[str] = []

    def gate(route):
        if route.request.url.startswith(app_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", gate)
    page = ctx.new_page()
    try:
        page.goto(f"{app_url}/wilayah", wait_until="domcontentloaded", timeout=RUN_TIMEOUT_MS)
        wait_idle(page)
        page.locator(".js-plotly-plot").first.wait_for(timeout=RUN_TIMEOUT_MS)
        page.wait_for_timeout(500)
        shapes = page.evaluate("""() => document.querySelector('.js-plotly-plot').data
            .filter(t => t.fill === 'toself').map(t => [t.meta.kelurahan, t.meta.value])""")
        assert dict(shapes) == {r["kelurahan"]: r["received"] for r in cur["by_kelurahan"] if r["kelurahan"]}
        drawn = page.locator(".js-plotly-plot").first.locator("path.js-fill").count()
        assert drawn >= 21, drawn  # every kelurahan polygon is on the screen
        assert not outside, outside
    finally:
        ctx.close()


# what a Wali Kota or an OPD admin must never read: Streamlit's English and the project's machinery
FORBIDDEN = ["Upload", "Browse files", "per file", "Made with Streamlit", "About", "as-of", "docs/", "config/",
             "Snapshot 2"]
COMMAND = re.compile(r"\bmonev (run|build|demo|serve|kpi|rating|scorecard|user|audit|evidence|check|ingest|"
                     r"export|init|bench|version)\b")
PASSWORD = "Rahasia-uji-2026!"


@pytest.fixture(scope="module")
def accounts_app(demo_data_dir, tmp_path_factory) -> Iterator[str]:
    """The app with login (no demo mode) over the demo warehouse, with a pimpinan and an OPD account."""
    from pipelines.auth import add_user
    from pipelines.settings import Paths

    d = tmp_path_factory.mktemp("akun") / "data"
    d.mkdir()
    (d / "curated").symlink_to(demo_data_dir / "curated", target_is_directory=True)
    (d / "runs").symlink_to(demo_data_dir / "runs", target_is_directory=True)
    paths = Paths.from_args(d)
    add_user(paths, "walikota", "pimpinan", PASSWORD)
    add_user(paths, "dishub", "opd", PASSWORD, department="Dinas Perhubungan")
    with running_app(d, d.parent / "streamlit.log", demo=False) as base:
        yield base


@pytest.mark.parametrize("user", ["walikota", "dishub"])
def test_no_english_and_no_machinery_for_pimpinan_and_opd(browser, accounts_app, user):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = ctx.new_page()
    try:
        page.goto(f"{accounts_app}/", wait_until="domcontentloaded", timeout=RUN_TIMEOUT_MS)
        wait_idle(page)
        page.get_by_label("Nama pengguna").fill(user)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=RUN_TIMEOUT_MS)
        wait_idle(page)
        # a link's text is its icon's name, then its title
        titles = [t.strip().split("\n")[-1] for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
                  if t.strip()]
        assert len(titles) >= 5, titles
        for title in titles:
            page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
            wait_idle(page)
            assert_no_exception(page, f"{user}: {title}")
            text = page.locator('[data-testid="stApp"]').inner_text()
            for word in FORBIDDEN:
                assert word not in text, (user, title, word)
            m = COMMAND.search(text)
            assert m is None, (user, title, m.group(0))
            assert page.locator('[data-testid="stMainMenu"]:visible').count() == 0, (user, title)
    finally:
        ctx.close()
