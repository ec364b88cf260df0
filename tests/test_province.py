"""Province installation (issue 19): several pemda in one data folder.

The done-when of the issue: per pemda, the province gives exactly the KPI JSON of a warehouse built
from that pemda alone (every key), and the province ranking equals those figures, ranked under the
one league rule with the province's minimum sample. Also: provinsi.yaml is untrusted input, the CLI
refuses what it cannot do, stored views are served only while current, an unchanged pemda is not
rebuilt.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import PROVINCE_MIN_SAMPLE, PROVINCE_PEMDA, make_pemda_config, monev_here

from pipelines.kpi import by_month_frame, compute
from pipelines.kpi.api import EXTRA_KEYS, PERIOD_KEYS
from pipelines.province import ProvinceError, load_province, normalize_kode, province_yaml, read_province
from pipelines.province.build import build_province, run_province
from pipelines.province.ranking import compute_ranking, pemda_trend, ranking
from pipelines.province.store import stored_view
from pipelines.settings import Paths

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def _monev(*args: str):
    return monev_here(*args)


@pytest.fixture(scope="module")
def province(province_data_dir):
    p = load_province(Paths(province_data_dir, province_data_dir))
    assert p is not None
    return p


# ------------------------------------------------------------------ provinsi.yaml


def test_single_city_folder_is_not_a_province(tmp_path):
    assert load_province(Paths(tmp_path, tmp_path)) is None


def test_province_file_is_read(province, province_data_dir):
    assert province.name == "Provinsi Jawa Timur"
    assert province.codes == tuple(k for k, *_ in PROVINCE_PEMDA)
    assert [p.name for p in province.pemda] == [n for _, n, *_ in PROVINCE_PEMDA]
    kediri = province.get("3571")
    assert kediri is province.get("35.71")
    assert kediri.slug == "3571"
    assert kediri.paths.data_dir == province_data_dir.resolve() / "pemda" / "3571"
    assert kediri.paths.warehouse.is_file()
    with pytest.raises(ProvinceError, match="35.99 tidak terdaftar"):
        province.get("35.99")


@pytest.mark.parametrize("raw", ["3572", "35.72", " 35.72 "])
def test_codes_normalize(raw):
    assert normalize_kode(raw) == "35.72"


@pytest.mark.parametrize("raw", ["357", "35-72", "../etc", "", "35.72.01"])
def test_bad_codes_are_refused(raw):
    with pytest.raises(ProvinceError, match="tidak sah"):
        normalize_kode(raw)


def _write(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "provinsi.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_bad_province_files_name_the_problem(tmp_path):
    make_pemda_config(tmp_path / "a", "35.72", "Kota Blitar")
    cases = [
        ("- just a list\n", "pemetaan"),
        ("pemda: []\n", "`nama`"),
        ("nama: X\npemda: []\n", "paling sedikit satu"),
        ("nama: X\npemda:\n  - kode: '35.72'\n", "`kode`"),
        ("nama: X\npemda:\n  - {kode: '35.72', config: tidak-ada}\n", "tidak berisi city.yaml"),
        ("nama: X\npemda:\n  - {kode: '35.72', config: a}\n  - {kode: '3572', config: a}\n", "dua kali"),
        ("nama: X\npemda:\n  - {kode: '35.71', config: a}\n", "kode_wilayah 35.72"),
        ("nama: X\npemda: [\n", "YAML"),
    ]
    for text, message in cases:
        with pytest.raises(ProvinceError, match=message):
            read_province(_write(tmp_path, text))
    big = _write(tmp_path, "nama: X\n" + "#" * (300 * 1024))
    with pytest.raises(ProvinceError, match="KiB"):
        read_province(big)


def test_province_yaml_round_trip(tmp_path):
    make_pemda_config(tmp_path / "pemda" / "3572" / "config", "35.72", "Kota Blitar")
    _write(tmp_path, province_yaml('Provinsi "Jawa" Timur', [("3572", "pemda/3572/config")]))
    p = read_province(tmp_path / "provinsi.yaml")
    assert p.name == 'Provinsi "Jawa" Timur'
    assert p.codes == ("35.72",)


# ------------------------------------------------------------------ same numbers as the pemda alone


def _kpi_json(*args: str) -> dict:
    r = _monev("kpi", "--period", "2025", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize("kode", ["35.71"])  # one pemda: each build alone costs ~8 s
def test_each_pemda_gives_the_kpi_json_of_the_pemda_built_alone(province, tmp_path, kode):
    """Every key equal; the snapshot's id carries its build time, so only its content hash is compared."""
    p = province.get(kode)
    alone = tmp_path / "alone"
    for part in ("raw", "state", "evidence"):
        if (p.paths.data_dir / part).exists():
            shutil.copytree(p.paths.data_dir / part, alone / part)
    cfg = shutil.copytree(p.paths.config_dir, tmp_path / "config")
    r = _monev("run", "--data-dir", str(alone), "--config-dir", str(cfg))
    assert r.returncode == 0, r.stderr
    in_province = _kpi_json("--data-dir", str(province.data_dir), "--pemda", kode)
    built_alone = _kpi_json("--data-dir", str(alone))
    s1, s2 = in_province.pop("snapshot"), built_alone.pop("snapshot")
    assert s1["input_hash"] == s2["input_hash"] and s1["as_of"] == s2["as_of"]
    assert s1["snapshot_id"].split("-")[-1] == s2["snapshot_id"].split("-")[-1]
    assert in_province == built_alone
    assert in_province["received"] > 0


def test_ranking_rows_equal_each_pemdas_own_kpis(province):
    result = compute_ranking(province, *YEAR)
    assert [r["kode"] for r in result["rows"]] and not result["missing"]
    for row in result["rows"]:
        p = province.get(row["kode"])
        con = duckdb.connect(str(p.paths.warehouse), read_only=True)
        try:
            own = compute(con, *YEAR)
        finally:
            con.close()
        for key in (*PERIOD_KEYS, *EXTRA_KEYS, "backlog_open", "backlog_overdue", "due_soon", "coverage"):
            assert row[key] == own[key], (row["kode"], key)
        assert row["as_of"] == own["period"]["as_of"]
        assert row["snapshot_id"] == own["snapshot"]["snapshot_id"]
        assert row["name"] == p.name


def test_ranking_follows_the_league_rule_with_the_provinces_minimum_sample(province):
    result = compute_ranking(province, *YEAR)
    assert result["min_sample"] == PROVINCE_MIN_SAMPLE
    assert f"paling sedikit {PROVINCE_MIN_SAMPLE} pengaduan" in result["rule"]
    rows = result["rows"]
    small = [r for r in rows if r["in_scope"] < PROVINCE_MIN_SAMPLE]
    ranked = [r for r in rows if r["in_scope"] >= PROVINCE_MIN_SAMPLE]
    assert small and len(ranked) >= 2, "the fixture must have both ranked and small pemda"
    assert all(r["insufficient_data"] and r["rank"] is None for r in small)
    # kpi-spec.md league: on-time response rate, then response rate; higher first; equal -> same rank
    expected = sorted(ranked, key=lambda r: (-r["on_time_response_rate"], -r["response_rate"]))
    assert [r["kode"] for r in ranked] == [r["kode"] for r in expected]
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    assert rows.index(small[0]) > rows.index(ranked[-1])  # unranked last


def test_ranking_carries_each_pemdas_estimated_rating(province):
    rows = compute_ranking(province, *YEAR)["rows"]
    for r in rows:
        assert r["rating"]["year"] == 2025
        assert r["rating"]["predikat"] in ("Sangat Baik", "Baik", "Sedang", "Kurang", "Tidak dinilai")


def test_stored_view_is_served_while_current_and_dropped_when_a_pemda_publishes(province_data_dir, tmp_path):
    d = shutil.copytree(province_data_dir, tmp_path / "prov", symlinks=True)
    prov = load_province(Paths(d, d))
    as_of = max(dt.date.fromisoformat(r["as_of"]) for r in compute_ranking(prov, *YEAR, with_rating=False)["rows"])
    running = (dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31))
    build_province(prov)
    from pipelines.province.ranking import view_key

    key = view_key("ranking", date_from=running[0], date_to=running[1], as_of=None, rating=True)
    stored = stored_view(prov, key)
    assert stored is not None
    assert stored == json.loads(json.dumps(compute_ranking(prov, *running), default=str))
    assert ranking(prov, date_from=running[0], date_to=running[1]) == stored
    # a pemda publishes again (a new file renamed into place): the stored view is no longer served
    wh = prov.pemda[1].paths.warehouse
    shutil.copy2(wh, wh.with_suffix(".new"))
    wh.with_suffix(".new").replace(wh)
    assert stored_view(prov, key) is None


def test_publish_recomputes_only_the_pemda_that_changed(province_data_dir, tmp_path, monkeypatch):
    """A new publish of one pemda: the province step queries that pemda only, and every stored view
    still equals what a computation from every warehouse gives."""
    import pipelines.province.build as pb
    from pipelines.province.ranking import compute_trends, view_key

    d = shutil.copytree(province_data_dir, tmp_path / "prov", symlinks=True)
    prov = load_province(Paths(d, d))
    first: dict = {}
    views, _ = build_province(prov, stats=first)
    windows = len(pb._default_windows(prov))
    assert windows >= 2 and views == windows * 5  # a ranking and four trends per calendar year
    assert first == {"computed": 3 * windows, "kept": 0}
    again: dict = {}
    build_province(prov, stats=again)  # nothing published: every part is kept
    assert again == {"computed": 0, "kept": 3 * windows}

    queried: list[str] = []
    real = pb.pemda_part
    monkeypatch.setattr(pb, "pemda_part", lambda p, *a, **k: (queried.append(p.kode), real(p, *a, **k))[1])
    wh = prov.pemda[1].paths.warehouse  # Kota Kediri publishes again (a new file renamed into place)
    shutil.copy2(wh, wh.with_suffix(".new"))
    wh.with_suffix(".new").replace(wh)
    third: dict = {}
    build_province(prov, stats=third)
    assert third == {"computed": windows, "kept": 2 * windows}
    assert set(queried) == {prov.pemda[1].kode}
    for d_from, d_to in pb._default_windows(prov):
        key = view_key("ranking", date_from=d_from, date_to=d_to, as_of=None, rating=True)
        assert stored_view(prov, key) == json.loads(json.dumps(compute_ranking(prov, d_from, d_to), default=str))
        trend = compute_trends(prov, ("response_rate",), d_from, d_to)["response_rate"]
        assert pemda_trend(prov, metric="response_rate", date_from=d_from, date_to=d_to).equals(trend)

    # the province rules change (min_sample in its sla.yaml): every part is computed again
    sla = prov.config_dir / "sla.yaml"
    sla.write_text(sla.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    fourth: dict = {}
    build_province(prov, stats=fourth)
    assert fourth == {"computed": 3 * windows, "kept": 0}


def test_trend_equals_each_pemdas_months(province):
    df = pemda_trend(province, metric="response_rate", date_from=YEAR[0], date_to=YEAR[1])
    assert df.columns == ["kode", "name", "month", "value"]
    for p in province.pemda:
        con = duckdb.connect(str(p.paths.warehouse), read_only=True)
        try:
            own = by_month_frame(con, *YEAR)
        finally:
            con.close()
        mine = df.filter(df["kode"] == p.kode)
        assert mine["month"].to_list() == own["month"].to_list()
        assert mine["value"].to_list() == own["response_rate"].to_list()
    with pytest.raises(ProvinceError, match="tidak dikenal"):
        pemda_trend(province, metric="drop table", date_from=YEAR[0], date_to=YEAR[1])


# ------------------------------------------------------------------ builds


def test_unchanged_pemda_are_not_rebuilt_and_a_new_export_rebuilds_only_its_pemda(province_data_dir, tmp_path):
    d = shutil.copytree(province_data_dir, tmp_path / "prov", symlinks=True)
    prov = load_province(Paths(d, d))
    summary = run_province(prov)
    assert [o.status for o in summary.outcomes] == ["unchanged"] * len(prov.pemda)
    before = {p.kode: p.paths.warehouse.stat().st_mtime_ns for p in prov.pemda}
    small = prov.get("35.05")
    export = sorted(small.paths.raw_dir.rglob("lapor_export_*.csv"))[-1]
    shutil.copy2(export, export.with_name("lapor_export_2026-11-01.csv"))  # the build sees a new export
    summary = run_province(prov)
    status = {o.kode: o.status for o in summary.outcomes}
    assert status["35.72"] == status["35.71"] == "unchanged"
    assert status["35.05"] != "unchanged"
    assert prov.get("35.72").paths.warehouse.stat().st_mtime_ns == before["35.72"]


# ------------------------------------------------------------------ CLI refusals


def test_cli_asks_for_a_pemda_on_a_province_folder(province_data_dir):
    r = _monev("kpi", "--period", "2025", "--data-dir", str(province_data_dir))
    assert r.returncode == 2
    assert "instalasi provinsi" in r.stderr and "--pemda 35.72" in r.stderr
    assert "Traceback" not in r.stderr
    r = _monev("kpi", "--period", "2025", "--data-dir", str(province_data_dir), "--pemda", "35.99")
    assert r.returncode == 2 and "35.99 tidak terdaftar" in r.stderr
    r = _monev("kpi", "--period", "2025", "--data-dir", str(province_data_dir), "--pemda", "../../etc")
    assert r.returncode == 2 and "tidak sah" in r.stderr


def test_cli_refuses_pemda_on_a_single_city_folder(tmp_path):
    r = _monev("kpi", "--period", "2025", "--data-dir", str(tmp_path), "--pemda", "35.72")
    assert r.returncode == 2 and "hanya berlaku untuk folder data instalasi provinsi" in r.stderr


def test_cli_ranking_table_and_json(province_data_dir):
    r = _monev("provinsi", "peringkat", "--data-dir", str(province_data_dir), "--period", "2025")
    assert r.returncode == 0, r.stderr
    assert "Kota Blitar" in r.stdout and "sampel kecil" in r.stdout
    assert f"paling sedikit {PROVINCE_MIN_SAMPLE} pengaduan" in r.stdout
    r = _monev("provinsi", "peringkat", "--data-dir", str(province_data_dir), "--period", "2025", "--format", "json")
    data = json.loads(r.stdout)
    assert [row["kode"] for row in data["rows"]][-1] == "35.05"
    r = _monev("provinsi", "peringkat", "--data-dir", str(province_data_dir.parent))
    assert r.returncode == 2 and "bukan instalasi provinsi" in r.stderr


def test_provinsi_init_writes_a_loadable_province(tmp_path):
    d = tmp_path / "jatim"
    r = _monev("provinsi", "init", str(d), "--pemda", "Kota Blitar", "--pemda", "Kota Kediri")
    assert r.returncode == 0, r.stderr
    prov = read_province(d / "provinsi.yaml")
    assert prov.name == "Provinsi Jawa Timur"
    assert prov.codes == ("35.72", "35.71")
    assert [p.name for p in prov.pemda] == ["Kota Blitar", "Kota Kediri"]
    assert prov.get("3571").paths.config_dir == (d / "pemda" / "3571" / "config").resolve()
    again = _monev("provinsi", "init", str(d), "--pemda", "Kota Blitar")
    assert again.returncode == 1 and "sudah ada" in again.stderr
    bad = _monev("provinsi", "init", str(tmp_path / "x"), "--pemda", "Kota Atlantis")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    # nothing built yet: the ranking says which pemda have no published warehouse
    result = compute_ranking(prov, *YEAR, with_rating=False)
    assert result["rows"] == [] and [m["kode"] for m in result["missing"]] == ["35.72", "35.71"]


def test_ingest_routes_an_export_to_the_pemda_it_names(province, tmp_path):
    """Kop `Nama Instansi` of a Laporan Ringkas names its pemda: Kabupaten Blitar is not Kota Blitar."""
    d = tmp_path / "prov"
    for p in province.pemda:
        shutil.copytree(p.paths.config_dir, d / "pemda" / p.slug / "config")
    shutil.copy2(province.data_dir / "provinsi.yaml", d / "provinsi.yaml")
    shutil.copytree(province.config_dir, d / province.config_dir.name)
    for kode in ("35.05", "35.72"):
        src = next(province.get(kode).paths.raw_dir.rglob("*laporan_ringkas.xlsx"))
        f = shutil.copy2(src, tmp_path / f"ringkas-{kode}.xlsx")
        r = _monev("ingest", str(f), "--data-dir", str(d))
        assert r.returncode == 0, r.stderr
        assert f"disalin ke folder pemda {kode}" in r.stdout
        assert (d / "pemda" / kode.replace(".", "") / "raw" / f.name).is_file()
    # a file that names no pemda (the CSV export has no Kota/Kabupaten column): refused, nothing copied
    csv = shutil.copy2(next(province.get("35.71").paths.raw_dir.rglob("lapor_export_*.csv")), tmp_path / "x.csv")
    r = _monev("ingest", str(csv), "--data-dir", str(d))
    assert r.returncode == 2 and "--pemda KODE" in r.stderr and "Traceback" not in r.stderr
    assert not list(d.rglob("x.csv"))
    r = _monev("ingest", str(csv), "--data-dir", str(d), "--pemda", "35.71")
    assert r.returncode == 0 and (d / "pemda" / "3571" / "raw" / "x.csv").is_file()
