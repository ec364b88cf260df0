"""The rating model file: the default loads, malformed files are refused naming the line."""

import dataclasses

import pytest

from pipelines.rating.model import EVIDENCE_TYPES, RatingModelError, load_model, parse_model
from pipelines.settings import DEFAULT_CONFIG_DIR

GOOD = """\
name: Model uji
predikat:
  - {name: Sangat Baik, min: 85, max: 100}
  - {name: Baik, min: 70, max: 85}
  - {name: Sedang, min: 55, max: 70}
  - {name: Kurang, min: 0, max: 55}
dimensions:
  - id: a
    label: A
    weight: 40
    indicators:
      - id: sk
        label: SK
        weight: 50
        source: evidence
        document: SK tim
        types: [SK]
        renew_each_year: true
      - id: resp
        label: Respons
        weight: 50
        source: data
        kpi: response_rate
        direction: higher
        floor: 0.5
        target: 1.0
  - id: b
    label: B
    weight: 60
    indicators:
      - id: med
        label: Median
        weight: 25
        source: data
        kpi: resolution_days_median
        direction: lower
        floor: 14
        target: 4
      - id: ontime
        label: Tepat waktu
        weight: 75
        source: data
        kpi: on_time_response_rate
        direction: higher
        floor: 0.6
        target: 1.0
opd_model:
  indicators:
    - {id: resp, weight: 40}
    - {id: ontime, weight: 60}
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing ``needle``."""
    hits = [i + 1 for i, ln in enumerate(text.splitlines()) if needle in ln]
    return hits[occurrence - 1]


def refused(text: str) -> RatingModelError:
    with pytest.raises(RatingModelError) as ei:
        parse_model(text, source="uji.yaml")
    return ei.value


def test_default_model_matches_rating_model_md():
    m = load_model(config_dir=DEFAULT_CONFIG_DIR)
    assert [(d.label, d.weight) for d in m.dimensions] == [
        ("Input", 20), ("Proses", 20), ("Output", 35), ("Outcome", 15), ("Dampak", 10)]
    assert [(b.name, b.min) for b in m.bands] == [("Sangat Baik", 85), ("Baik", 70), ("Sedang", 55), ("Kurang", 0)]
    assert m.disclaimer == "Estimasi model, bukan nilai resmi Kemendagri"
    assert "min_sample" not in {f.name for f in dataclasses.fields(m)}  # one min_sample: sla.yaml
    out = m.dimension("output")
    assert {i.data.kpi for i in out.indicators} == {
        "response_rate", "on_time_response_rate", "resolution_rate", "resolution_days_median", "backlog_overdue_share"}
    assert [i for i, _ in m.opd_indicators] == [i.id for i in out.indicators]
    assert m.indicator("sk_tim_pengaduan").evidence.renew_each_year is True
    assert m.indicator("regulasi_pengaduan").evidence.renew_each_year is False
    for ind in m.evidence_indicators:
        assert set(ind.evidence.types) <= set(EVIDENCE_TYPES)


def test_good_hand_made_model_parses():
    m = parse_model(GOOD)
    assert m.indicator("med").data.direction == "lower"
    assert m.opd_indicators == (("resp", 40.0), ("ontime", 60.0))
    assert len(m.sha256) == 64


def test_dimension_weights_not_100_names_the_line():
    bad = GOOD.replace("    weight: 60\n", "    weight: 50\n")
    e = refused(bad)
    assert e.problems == [(line_of(bad, "dimensions:"), e.problems[0][1])]
    assert "berjumlah 90, harus 100" in str(e)
    assert f"uji.yaml baris {line_of(bad, 'dimensions:')}" in str(e)


def test_indicator_weights_not_100_names_the_dimension_line():
    bad = GOOD.replace("        weight: 25\n", "        weight: 20\n")
    e = refused(bad)
    assert len(e.problems) == 1
    ln, msg = e.problems[0]
    assert ln == line_of(bad, "indicators:", 2)
    assert "dimensi 'b'" in msg and "berjumlah 95" in msg


def test_unknown_kpi_names_its_line():
    bad = GOOD.replace("kpi: response_rate", "kpi: response_ratio")
    e = refused(bad)
    assert e.problems[0][0] == line_of(bad, "kpi: response_ratio")
    assert "KPI 'response_ratio' tidak dikenal" in str(e)


def test_overlapping_bands_are_refused():
    bad = GOOD.replace("{name: Baik, min: 70, max: 85}", "{name: Baik, min: 70, max: 86}")
    e = refused(bad)
    assert e.problems[0][0] == line_of(bad, "Sangat Baik")
    assert "tumpang tindih" in str(e)


def test_gapped_bands_are_refused():
    bad = GOOD.replace("{name: Sedang, min: 55, max: 70}", "{name: Sedang, min: 55, max: 69}")
    e = refused(bad)
    assert e.problems[0][0] == line_of(bad, "{name: Baik")
    assert "celah" in str(e)


def test_bands_must_cover_0_to_100():
    bad = GOOD.replace("{name: Kurang, min: 0, max: 55}", "{name: Kurang, min: 10, max: 55}")
    e = refused(bad)
    assert e.problems[0][0] == line_of(bad, "Kurang")
    assert "mulai dari 0" in str(e)


def test_floor_equal_target_is_refused():
    bad = GOOD.replace("        floor: 14\n        target: 4\n", "        floor: 14\n        target: 14\n")
    e = refused(bad)
    assert e.problems[0][0] == line_of(bad, "target: 14")
    assert "'floor' dan 'target' sama" in str(e)


def test_direction_must_agree_with_floor_and_target():
    bad = GOOD.replace("        floor: 14\n        target: 4\n", "        floor: 4\n        target: 14\n")
    e = refused(bad)
    assert "direction 'lower'" in str(e)


def test_unknown_evidence_type_is_refused():
    bad = GOOD.replace("types: [SK]", "types: [SK, Keppres]")
    e = refused(bad)
    assert e.problems[0][0] == line_of(bad, "types: [SK, Keppres]")
    assert "jenis dokumen 'Keppres' tidak dikenal" in str(e)


def test_unknown_key_and_duplicate_key_are_refused():
    bad = GOOD.replace("        weight: 75\n", "        wieght: 75\n        weight: 75\n")
    e = refused(bad)
    assert e.problems[0] == (line_of(bad, "wieght"), e.problems[0][1])
    assert "kunci 'wieght' tidak dikenal" in str(e)
    dup = GOOD.replace("        weight: 75\n", "        weight: 75\n        weight: 70\n")
    e2 = refused(dup)
    assert e2.problems[0][0] == line_of(dup, "weight: 70")
    assert "muncul dua kali" in str(e2)


def test_rate_floor_written_as_percent_is_refused():
    bad = GOOD.replace("        floor: 0.6\n", "        floor: 60\n")
    e = refused(bad)
    assert e.problems[0][0] == line_of(bad, "floor: 60")
    assert "pecahan 0–1" in str(e)


def test_opd_model_must_reference_per_department_indicators():
    bad = GOOD.replace("- {id: resp, weight: 40}", "- {id: sk, weight: 40}")
    e = refused(bad)
    assert e.problems[0][0] == line_of(bad, "{id: sk, weight: 40}")
    assert "tidak dapat dihitung per OPD" in str(e)


def test_several_problems_are_all_reported_in_line_order():
    bad = GOOD.replace("kpi: response_rate", "kpi: nope").replace("types: [SK]", "types: [Memo]")
    e = refused(bad)
    lines = [ln for ln, _ in e.problems]
    assert lines == sorted(lines) and len(lines) == 2


def test_invalid_yaml_names_the_line():
    bad = GOOD.replace("    label: B\n", "    label: [B\n")
    e = refused(bad)
    assert e.problems[0][0] is not None and e.problems[0][0] >= line_of(bad, "label: [B")


def test_load_model_from_config_dir_names_the_file(tmp_path):
    (tmp_path / "rating_model.yaml").write_text(GOOD.replace("weight: 40\n", "weight: 45\n", 1))
    with pytest.raises(RatingModelError, match=r"rating_model\.yaml baris \d+: bobot dimensi berjumlah 105"):
        load_model(config_dir=tmp_path)


def test_what_if_effort_is_validated():
    m = parse_model(GOOD + "what_if_effort:\n  complaint: 0.5\n")
    assert dict(m.effort)["complaint"] == 0.5 and dict(m.effort)["upload_document"] == 2
    bad = GOOD + "what_if_effort:\n  complaint: 0\n  keluhan: 1\n"
    e = refused(bad)
    assert [ln for ln, _ in e.problems] == [line_of(bad, "complaint: 0"), line_of(bad, "keluhan: 1")]
    assert "harus lebih dari 0" in str(e) and "kunci 'keluhan' tidak dikenal" in str(e)


def test_schema_errors_are_indonesian_sentences_with_key_path_and_line():
    bad = (GOOD.replace("    weight: 60\n", "    weight: enam puluh\n")
           .replace("    label: A\n", "")
           .replace("direction: lower", "direction: turun")
           .replace("source: evidence", "source: bukti")
           .replace("        floor: 0.6\n", "        floor: 0.6\n        on_null: 150\n"))
    e = refused(bad)
    by_line = dict(e.problems)
    assert by_line[line_of(bad, "weight: enam puluh")] == "dimensi 'b' › weight: harus berupa angka (tertulis 'enam puluh')."
    assert by_line[line_of(bad, "- id: a")] == "dimensi 'a' wajib punya 'label'."
    assert by_line[line_of(bad, "direction: turun")] == (
        "dimensi 'b' › indikator 'med' › direction: harus 'higher' (makin tinggi makin baik) atau 'lower' "
        "(makin rendah makin baik), tertulis 'turun'.")
    assert by_line[line_of(bad, "source: bukti")] == (
        "dimensi 'a' › indikator 'sk': 'source' harus 'data' (dari KPI) atau 'evidence' (bukti dukung), tertulis 'bukti'.")
    assert by_line[line_of(bad, "on_null: 150")] == (
        "dimensi 'b' › indikator 'ontime' › on_null: harus paling besar 100 (tertulis 150).")
    assert len(e.problems) == 5
    for english in ("Input should", "Field required", "Extra inputs", "valid number", "literal"):
        assert english not in str(e)


def test_min_sample_in_the_model_file_is_refused_with_its_line():
    bad = GOOD + "min_sample: 30\n"
    e = refused(bad)
    assert e.problems == [(line_of(bad, "min_sample: 30"), e.problems[0][1])]
    assert "kpi.min_sample di sla.yaml" in str(e)


def test_on_null_skip_means_not_counted():
    m = parse_model(GOOD.replace("        target: 4\n", "        target: 4\n        on_null: skip\n"))
    assert m.indicator("med").data.on_null is None
    m = parse_model(GOOD.replace("        target: 4\n", "        target: 4\n        on_null: 100\n"))
    assert m.indicator("med").data.on_null == 100.0
