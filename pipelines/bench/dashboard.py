"""Dashboard render benchmark: each page's first render and a filter change, timed end to end.

    monev bench --dashboard D [--repeat 3] [--browser] [--json out.json]
    python -m pipelines.bench.dashboard --data-dir D [--repeat 3] [--browser] [--json out.json]

Two ways of timing, both against the published warehouse in D, as the demo viewer (full access):

- ``apptest`` (default): Streamlit's AppTest runs the real entry script and page, as the server does,
  without a browser. *First render* = opening the page in a session whose data caches are empty
  (``st.cache_data`` cleared; the read-only warehouse handle stays open, as in a running server);
  *filter change* = changing one sidebar filter on that page (caches cleared again, so nothing is a
  cache hit): the kanal filter to one channel, and the period to the previous year; the slower of the
  two is reported. *cached* = the same page opened again in a new session (the common case in a
  meeting). Pages without sidebar filters get no filter figure.
- ``--browser``: the real app (``streamlit run``, demo mode) in headless Chromium (Debian's
  /usr/bin/chromium): *first render* = from navigation until the page has finished running and has
  no stale elements, after the server's data caches were emptied by a warm-up on another filter set;
  this includes the browser drawing the charts and tables.

The figures are medians of ``--repeat`` runs. Targets (issue 6): first render < 2 s, filter change
< 1 s, on the project's 2-core machine. Results go to stdout as a table (and ``--json``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import streamlit
from streamlit.testing.v1 import AppTest

import dashboard
from dashboard.pages import DATA_PAGES, FILTER_PAGES, TITLES
from pipelines.bench.core import machine as core_machine
from pipelines.serve import DASHBOARD_DIR, serve_env, streamlit_command
from pipelines.settings import resolve_config_dir

APP = Path(dashboard.__file__).resolve().parent / "app.py"
PAGES = DATA_PAGES  # every page of a published warehouse, from the registry (dashboard/pages.py)
FIRST_TARGET_S = 2.0
FILTER_TARGET_S = 1.0


@dataclass
class PageTiming:
    page: str
    first_s: list[float] = field(default_factory=list)
    cached_s: list[float] = field(default_factory=list)
    filter_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def _med(xs: list[float]) -> float | None:
        return statistics.median(xs) if xs else None

    def summary(self) -> dict:
        return {"page": self.page, "first_s": self._med(self.first_s), "cached_s": self._med(self.cached_s),
                "filter_s": self._med(self.filter_s), "runs": len(self.first_s), "errors": self.errors,
                "raw": {"first_s": self.first_s, "cached_s": self.cached_s, "filter_s": self.filter_s}}


def machine() -> dict:
    """The benchmark's machine record (``pipelines.bench.core.machine``) plus the Streamlit version."""
    return {**core_machine(), "streamlit": streamlit.__version__}


def warehouse_info(data_dir: Path) -> dict:
    con = duckdb.connect(str(data_dir / "curated" / "monev.duckdb"), read_only=True)
    try:
        sid, as_of, n = con.execute("SELECT snapshot_id, as_of, complaints FROM snapshot").fetchone()
    finally:
        con.close()
    return {"snapshot": sid, "as_of": str(as_of), "complaints": int(n)}


# ---------------------------------------------------------------- AppTest


def _clean(at) -> str | None:
    if at.exception:
        return "; ".join(str(e.value)[:200] for e in at.exception)
    if at.error:
        return "; ".join(str(e.value)[:200] for e in at.error)
    return None


def _timed_run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def bench_apptest(data_dir: Path, repeat: int) -> tuple[list[PageTiming], dict]:
    os.environ["MONEV_DATA_DIR"] = str(data_dir)
    os.environ["MONEV_DASHBOARD_DEMO"] = "1"
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    st = streamlit
    # after the loggers are quietened: dashboard.data's caches warn at import without a Streamlit runtime
    from dashboard import data

    def clear() -> None:
        """Empty the result caches (the city rating is a shared resource, so it is emptied too); the
        warehouse handle stays open, as in a running server."""
        st.cache_data.clear()
        data._city_rating.clear()

    def new_session():
        at = AppTest.from_file(str(APP), default_timeout=120)
        return at

    # the process's first run: imports, opening the warehouse, every cache cold
    at = new_session()
    startup = _timed_run(at)
    extra = {"process_first_run_s": startup, "startup_error": _clean(at)}

    timings = {p: PageTiming(p) for p in PAGES}
    for _ in range(repeat):
        for page in PAGES:
            t = timings[page]
            at = new_session()
            at.run()  # the session's landing page (Ringkasan), cached
            if page == "ringkasan":
                clear()
                t.first_s.append(_timed_run(at))
            else:
                at.switch_page(f"app_pages/{page}.py")
                clear()
                t.first_s.append(_timed_run(at))
            err = _clean(at)
            if err:
                t.errors.append(f"first: {err}")
            if page in FILTER_PAGES:
                worst = 0.0
                for change in _filter_changes(at):
                    clear()
                    change(at)
                    worst = max(worst, _timed_run(at))
                    err = _clean(at)
                    if err:
                        t.errors.append(f"filter: {err}")
                t.filter_s.append(worst)
            # the same page in a new session: served from the caches
            at2 = new_session()
            at2.run()
            if page != "ringkasan":
                at2.switch_page(f"app_pages/{page}.py")
            t.cached_s.append(_timed_run(at2))
    return list(timings.values()), extra


def _filter_changes(at):
    """Two filter changes a user makes: one kanal, and the previous year."""

    def channel(a):
        ms = a.multiselect(key="flt.channel")
        ms.set_value([ms.options[0]])

    def period(a):
        sb = a.selectbox(key="flt.period")
        opts = list(sb.options)
        cur = sb.value
        idx = opts.index(cur) if cur in opts else 0
        sb.set_value(opts[min(idx + 1, len(opts) - 1)])
        a.multiselect(key="flt.channel").set_value([])

    return [channel, period]


# ---------------------------------------------------------------- browser


def bench_browser(data_dir: Path, repeat: int) -> tuple[list[PageTiming], dict]:
    # playwright is in the test extra (a browser benchmark is a developer's tool): loaded only here
    from playwright.sync_api import sync_playwright


    chromium = os.environ.get("MONEV_CHROMIUM", "/usr/bin/chromium")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(streamlit_command(port, "127.0.0.1"), cwd=DASHBOARD_DIR,
                            env=serve_env(data_dir, resolve_config_dir(), demo=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    timings = {p: PageTiming(p) for p in PAGES}
    extra: dict = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=args, headless=True)
            ctx = browser.new_context(viewport={"width": 1366, "height": 768})
            page = ctx.new_page()
            t0 = time.perf_counter()
            page.goto(f"{base}/", wait_until="commit")
            _wait_done(page)
            extra["process_first_run_s"] = time.perf_counter() - t0
            channels = _channels(data_dir)
            years = _years(data_dir)
            for r in range(repeat):
                # a new session on a filter set not used before, so the pages' data are computed, not cached
                # (kanal, year) pairs never used before: one to open the session, one per filter change
                block = (r // len(years)) * (len(FILTER_PAGES) + 1)
                fresh = iter(channels[(block + k) % len(channels)] for k in range(len(FILTER_PAGES) + 1))
                ch, year = next(fresh), years[r % len(years)]
                query = urllib.parse.urlencode({"kanal": ch, "periode": year})
                t0 = time.perf_counter()
                page.goto(f"{base}/?{query}", wait_until="commit")
                _wait_done(page)
                timings["ringkasan"].first_s.append(time.perf_counter() - t0)
                for name in PAGES[1:]:
                    timings[name].first_s.append(_navigate(page, name))
                for name in PAGES:  # again: from the caches
                    timings[name].cached_s.append(_navigate(page, name))
                for name in FILTER_PAGES:
                    _navigate(page, name)
                    new_ch = next(fresh)
                    timings[name].filter_s.append(_change_channel(page, ch, new_ch))
                    ch = new_ch
            ctx.close()
            browser.close()
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=15)
        if proc.poll() is None:
            proc.kill()
    return list(timings.values()), extra


def _channels(data_dir: Path) -> list[str]:
    con = duckdb.connect(str(data_dir / "curated" / "monev.duckdb"), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT channel FROM channels ORDER BY channel").fetchall()]
    finally:
        con.close()


def _years(data_dir: Path) -> list[str]:
    con = duckdb.connect(str(data_dir / "curated" / "monev.duckdb"), read_only=True)
    try:
        first, last = con.execute("SELECT min(year(reported_at)), max(year(reported_at)) FROM complaints").fetchone()
    finally:
        con.close()
    return [str(y) for y in range(int(last) - 1, int(first) - 1, -1)] or [str(last)]


def _navigate(page, name: str) -> float:
    """Click the page in the sidebar (an in-app page switch, as a user does); seconds until it has run."""
    title = TITLES[name]
    t0 = time.perf_counter()
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.locator('[data-testid="stMain"] h1', has_text=title).wait_for(timeout=120_000)
    _wait_done(page)
    return time.perf_counter() - t0


def _change_channel(page, current: str, new: str) -> float:
    """Swap the kanal filter in the sidebar from ``current`` to ``new``; seconds from the choice until
    the page has run again."""
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Kanal", exact=True)
    # remove the current channel (its tag's delete button), then pick the new one
    widget = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.get_by_role("combobox", name="Kanal", exact=True))
    widget.get_by_role("button", name=f"Remove {current}").click()
    # the rerun of the removal must be over before typing (a rerun redraws the widget)
    page.locator('[data-testid="stMain"]').get_by_text(f"Kanal: {current}").first.wait_for(
        state="detached", timeout=120_000)
    _wait_done(page)
    option = page.get_by_role("option", name=new, exact=True)
    for _ in range(3):
        box.click()
        box.fill(new)  # narrows the list, so the option is drawn
        try:
            option.wait_for(timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - the list was redrawn; type again
            box.press("Escape")
    t0 = time.perf_counter()
    option.click()
    page.locator('[data-testid="stMain"]').get_by_text(f"Kanal: {new}").first.wait_for(timeout=120_000)
    _wait_done(page)
    dt = time.perf_counter() - t0
    box.press("Escape")
    _wait_done(page)
    return dt


def _wait_done(page, timeout_ms: int = 120_000) -> None:
    page.locator('[data-testid="stApp"][data-test-connection-state="CONNECTED"]').wait_for(timeout=timeout_ms)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout_ms)


# ---------------------------------------------------------------- report


def _fmt_s(v: float | None, target: float | None) -> str:
    if v is None:
        return "–"
    mark = "" if target is None else (" ok" if v < target else " LEWAT")
    return f"{v:.2f}{mark}"


def table(rows: list[dict]) -> str:
    head = f"{'Halaman':<16}{'Render pertama (s)':>22}{'Dari cache (s)':>16}{'Ganti filter (s)':>20}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['page']:<16}{_fmt_s(r['first_s'], FIRST_TARGET_S):>22}{_fmt_s(r['cached_s'], None):>16}"
            f"{_fmt_s(r['filter_s'], FILTER_TARGET_S):>20}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True, help="data directory with curated/monev.duckdb")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--browser", action="store_true", help="time page loads in headless Chromium")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    a = ap.parse_args(argv)
    data_dir = a.data_dir.resolve()
    if not (data_dir / "curated" / "monev.duckdb").exists():
        print(f"no published warehouse in {data_dir}", file=sys.stderr)
        return 2
    info = {"machine": machine(), "warehouse": warehouse_info(data_dir), "repeat": a.repeat,
            "mode": "browser" if a.browser else "apptest"}
    timings, extra = (bench_browser if a.browser else bench_apptest)(data_dir, a.repeat)
    rows = [t.summary() for t in timings]
    info.update(extra)
    m, w = info["machine"], info["warehouse"]
    mem_gb = round(m["memory_bytes"] / 2**30, 1) if m["memory_bytes"] else None
    print(f"Mesin: {m['cpu_count']} CPU ({m['cpu']}), {mem_gb} GB; Python {m['python']}, Streamlit "
          f"{m['streamlit']}, DuckDB {m['duckdb']}; beban awal {m['loadavg_start']}")
    print(f"Gudang: {w['complaints']} pengaduan, snapshot {w['snapshot']}, per {w['as_of']}; mode {info['mode']}, "
          f"median dari {a.repeat} kali")
    print(f"Run pertama proses (impor, buka gudang, semua cache kosong): {info['process_first_run_s']:.2f} s")
    print(table(rows))
    bad = [r["page"] for r in rows if r["errors"]]
    for r in rows:
        for e in r["errors"][:3]:
            print(f"  {r['page']}: {e}", file=sys.stderr)
    if a.json:
        a.json.write_text(json.dumps({**info, "pages": rows}, indent=2, default=str), encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["PAGES", "PageTiming", "main"]
