"""Every sentence that states a rule is written from the settings in force (issue 15): changing
``cuti_bersama_is_day_off``, ``count_duplicates_once``, ``min_sample``, the league or the predikat bands
changes the scorecard's notes, the glossary and the dashboard's pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.kpi import rules_text
from pipelines.kpi.glossary import entries
from pipelines.rating.model import load_model
from pipelines.scorecard import gather
from pipelines.settings import DEFAULT_CONFIG_DIR

DEFAULTS = {"min_sample": 5, "league": ["on_time_response_rate", "response_rate"], "count_duplicates_once": True,
            "cuti_bersama_is_day_off": True, "limits": {"resolution": 14, "resolution_pengawasan": 60}}
CHANGED = {"min_sample": 8, "league": ["resolution_rate"], "count_duplicates_once": False,
           "cuti_bersama_is_day_off": False, "limits": {"resolution": 10, "resolution_pengawasan": 45}}


def test_rule_texts_follow_the_settings():
    d, c = DEFAULTS, CHANGED
    assert "cuti bersama, dan libur daerah" in rules_text.working_days_text(d)
    assert "cuti bersama dihitung hari kerja" in rules_text.working_days_text(c)
    assert "dihitung sekali" in rules_text.duplicates_text(d)
    assert "terpisah" in rules_text.duplicates_text(c) and "dihitung sekali" not in rules_text.duplicates_text(c)
    assert rules_text.league_text(d) == "tanggapan tepat waktu, lalu tingkat tanggapan"
    assert rules_text.league_text(c) == "tingkat penyelesaian"
    assert "paling sedikit 8 pengaduan" in rules_text.rank_rule(c)
    assert rules_text.resolution_limit_text(c) == ("Batas penyelesaian 10 HK, atau batas kategorinya; pengaduan "
                                                   "berkadar pengawasan 45 HK.")
    assert "kurang dari 8" in rules_text.small_sample_text({"settings": c})  # a whole compute() result works too
    g = entries(c)
    assert g["rank"].formula == "urut menurun: tingkat penyelesaian"
    assert g["insufficient_data"].formula == "dalam cakupan < 8"
    assert "cuti bersama dihitung hari kerja" in g["hari_kerja"].help and "terpisah" in g["received"].help


def _config_with_bands(tmp_path: Path) -> Path:
    cfg = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    p = cfg / "rating_model.yaml"
    text = p.read_text(encoding="utf-8")
    text = text.replace("{name: Sangat Baik, min: 85, max: 100}", "{name: Sangat Baik, min: 90, max: 100}")
    text = text.replace("{name: Baik, min: 70, max: 85}", "{name: Baik, min: 75, max: 90}")
    text = text.replace("{name: Sedang, min: 55, max: 70}", "{name: Sedang, min: 55, max: 75}")
    p.write_text(text, encoding="utf-8")
    return cfg


def test_band_text_follows_the_model(tmp_path):
    assert load_model().bands_text() == "Sangat Baik ≥ 85, Baik ≥ 70, Sedang ≥ 55, Kurang < 55"
    assert load_model(config_dir=_config_with_bands(tmp_path)).bands_text() == (
        "Sangat Baik ≥ 90, Baik ≥ 75, Sedang ≥ 55, Kurang < 55")


@pytest.fixture(scope="module")
def changed_dir(demo_data_dir, tmp_path_factory):
    """A copy of the demo data directory whose warehouse says: cuti bersama are working days, duplicates
    count separately, min_sample 7 (as a city's sla.yaml would have been built with)."""
    d = tmp_path_factory.mktemp("aturan") / "data"
    (d / "curated").mkdir(parents=True)
    shutil.copy2(demo_data_dir / "curated" / "monev.duckdb", d / "curated" / "monev.duckdb")
    con = duckdb.connect(str(d / "curated" / "monev.duckdb"))
    for key, value in (("cuti_bersama_is_day_off", "false"), ("count_duplicates_once", "false"), ("min_sample", "7")):
        con.execute("UPDATE settings SET value = ? WHERE key = ?", [value, key])
    con.close()
    return d


def _notes(data_dir: Path, config_dir: Path | None = None) -> str:
    con = duckdb.connect(str(data_dir / "curated" / "monev.duckdb"), read_only=True)
    try:
        d = gather(con, "2026-Q2", None, config_dir=config_dir)
        return " ".join(d.notes + [t.note for t in d.tables() if t.note])
    finally:
        con.close()


def test_scorecard_sentences_follow_the_warehouse_settings(demo_data_dir, changed_dir):
    before, after = _notes(demo_data_dir), _notes(changed_dir)
    assert "cuti bersama, dan libur daerah" in before and "dihitung sekali" in before
    assert "cuti bersama dihitung hari kerja" in after and "terpisah" in after
    assert "dihitung sekali" not in after and "cuti bersama, dan libur daerah" not in after
    assert "paling sedikit 5 pengaduan" in before and "paling sedikit 7 pengaduan" in after


def test_pages_follow_the_settings_and_the_bands(changed_dir, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("MONEV_DATA_DIR", str(changed_dir))
    monkeypatch.setenv("MONEV_CONFIG_DIR", str(_config_with_bands(tmp_path)))
    monkeypatch.setenv("MONEV_DASHBOARD_DEMO", "1")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("app_pages/glosarium.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "cuti bersama dihitung hari kerja" in text and "terpisah" in text
    assert "Sangat Baik ≥ 90, Baik ≥ 75" in text and "kurang dari 7 pengaduan" in text
    at.switch_page("app_pages/kinerja_opd.py").run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert re.search(r"paling sedikit 7 pengaduan dalam cakupan", captions)
    assert "tanggapan tepat waktu, lalu tingkat tanggapan" in captions
