"""Unduh Rapor on a province installation: a province-wide viewer gets the Rapor Provinsi downloads (PDF and
XLSX, made by province_scorecard with the viewer as actor); a pemda's viewer is not offered it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.context import KEY, Context
from pipelines.auth.scope import Scope

PAGE = str(Path(__file__).resolve().parents[1] / "dashboard" / "app_pages" / "unduh_rapor.py")


def _run(monkeypatch, province_data_dir, scope: Scope) -> AppTest:
    monkeypatch.setenv("MONEV_DATA_DIR", str(province_data_dir))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[KEY] = Context(scope=scope, snap=None, master=None, filters=None, windows=None, model=None)
    return at.run()


def test_province_viewer_downloads_the_province_scorecard(monkeypatch, province_data_dir, captured_downloads):
    at = _run(monkeypatch, province_data_dir, Scope("provinsi"))
    assert not at.exception
    assert any(s.value == "Rapor Provinsi" for s in at.subheader)
    at.button(key="rapor.prov.make").click().run()
    assert not at.exception and not at.error
    names = [n for n, _b in captured_downloads]
    assert any(n.endswith(".pdf") and n.startswith("rapor_provinsi_") for n in names)
    blob = dict(captured_downloads)[next(n for n in names if n.endswith(".xlsx"))]
    assert blob[:2] == b"PK"


@pytest.mark.parametrize("scope", [Scope("pimpinan", pemda="35.72")])
def test_pemda_viewer_is_not_offered_the_province_scorecard(monkeypatch, province_data_dir, scope):
    at = _run(monkeypatch, province_data_dir, scope)
    assert not any(s.value == "Rapor Provinsi" for s in at.subheader)
