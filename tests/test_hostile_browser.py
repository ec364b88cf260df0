"""The zip bomb uploaded in a real browser (issue 17): a koordinator uploads it on Unggah Data while a
pimpinan keeps reading Ringkasan in a second session. The second session never errors, the upload is
refused with a message naming the file and the limit, and the server process's memory stays bounded
(the preview runs in a memory-limited worker, dashboard/jobs.py). Skipped without Chromium/Playwright
unless MONEV_REQUIRE_BROWSER=1."""

from __future__ import annotations

import time

import pytest
from browser_support import chromium, running_app
from hostile_files import zip_bomb
from listening import listening_sockets, pid_of_socket, rss_mib

from pipelines.auth import add_user, list_audit
from pipelines.settings import Paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PW = "kalimat-sandi-panjang-1"
T = 180_000  # ms


def _idle(page) -> None:
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=T)
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=T)


def _login(page, user: str) -> None:
    page.get_by_label("Kata sandi").wait_for(timeout=T)
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(PW)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Masuk sebagai").wait_for(timeout=T)


def _no_error(page, where: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, where
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, where
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert "Traceback" not in text and "encountered an error" not in text, where


def test_zip_bomb_upload_while_another_session_reads(demo_data_dir, tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    for sub in ("curated", "runs"):
        (d / sub).symlink_to(demo_data_dir / sub, target_is_directory=True)
    paths = Paths.from_args(d)
    add_user(paths, "kominfo", "koordinator", PW)
    add_user(paths, "walikota", "pimpinan", PW)
    bomb = zip_bomb(tmp_path / "bom.xlsx")
    with chromium() as browser, running_app(d, tmp_path / "streamlit.log", demo=False) as base:
        port = int(base.rsplit(":", 1)[1])
        server = pid_of_socket(listening_sockets(port)[0][1])
        reader = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        reader.goto(base + "/", timeout=T)
        _login(reader, "walikota")
        reader.get_by_role("heading", name="Ringkasan Eksekutif").wait_for(timeout=T)
        _idle(reader)
        uploader = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        uploader.goto(base + "/unggah_data", timeout=T)
        _login(uploader, "kominfo")
        uploader.get_by_role("heading", name="Unggah Data").wait_for(timeout=T)
        _idle(uploader)
        base_rss = rss_mib(server)
        uploader.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bomb))
        peak, reads, refused = base_rss, 0, None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            reader.get_by_role("link", name="Ringkasan").first.click()
            _idle(reader)
            _no_error(reader, f"Ringkasan, read {reads}")
            assert reader.get_by_role("heading", name="Ringkasan Eksekutif").is_visible()
            reads += 1
            peak = max(peak, rss_mib(server))
            box = uploader.locator('[data-testid="stAlertContentError"]')
            if box.count() and "bom.xlsx" in box.first.inner_text():
                refused = box.first.inner_text()
                if reads >= 3:
                    break
        assert refused is not None, "the upload was not refused within 4 minutes"
        assert "limits.max_xlsx_uncompressed_mb" in refused and "bom ZIP" in refused
        assert peak - base_rss < 250, f"server grew from {base_rss:.0f} to {peak:.0f} MiB"
        print(f"server RSS {base_rss:.0f} -> peak {peak:.0f} MiB over {reads} Ringkasan reads")
    assert not list((paths.raw_dir).rglob("*.xlsx"))  # nothing was saved
    assert "upload" not in [e.action for e in list_audit(paths, limit=None)]
