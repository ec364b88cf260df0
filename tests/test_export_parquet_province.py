"""A province's Parquet export, partitioned by pemda/year/month, read back over an object-storage path.

DuckDB's httpfs extension cannot be downloaded here, so the object store is fsspec's in-memory
filesystem registered in DuckDB (the same mechanism serves s3fs, gcsfs or adlfs: docs/benchmark.md).
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import fsspec
import pytest

from pipelines.export import ExportError, attach_parquet, export_province
from pipelines.kpi import compute
from pipelines.province import load_province
from pipelines.settings import Paths


@pytest.fixture(scope="module")
def export(province_data_dir, tmp_path_factory):
    province = load_province(Paths(province_data_dir, province_data_dir))
    out = tmp_path_factory.mktemp("pq") / "provinsi"
    return province, out, export_province(province, out)


def test_layout_is_partitioned_by_pemda_year_and_month(export):
    province, out, manifest = export
    assert [e["kode"] for e in manifest["pemda"]] == list(province.codes)
    for p in province.pemda:
        with duckdb.connect(str(p.paths.warehouse), read_only=True) as con:
            n = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
            months = con.execute("SELECT DISTINCT year(reported_at), month(reported_at) FROM complaints").fetchall()
        dirs = {(int(d.parent.name[5:]), int(d.name[6:])) for d in (out / "complaints" / f"pemda={p.slug}").glob("year=*/month=*")}
        assert dirs == set(months) and n > 0
        assert (out / "calendar" / f"pemda={p.slug}" / "data_0.parquet").is_file()
        assert (out / f"views-pemda-{p.slug}.sql").is_file()
    # every pemda together: a pemda column, each pemda's rows exactly once
    con = duckdb.connect()
    attach_parquet(con, out)
    got = dict(con.execute("SELECT pemda, count(*) FROM complaints GROUP BY pemda").fetchall())
    assert got == {e["slug"]: e["rows"]["complaints"] for e in manifest["pemda"]}


def test_same_kpi_json_over_object_storage(export):
    province, out, manifest = export
    fs = fsspec.filesystem("memory")
    for f in out.rglob("*"):
        if f.is_file():
            fs.pipe(f"memory://bucket/monev/{f.relative_to(out).as_posix()}", f.read_bytes())
    con = duckdb.connect()
    con.register_filesystem(fs)
    for p in province.pemda:
        attach_parquet(con, "memory://bucket/monev", pemda=p.kode)
        with duckdb.connect(str(p.paths.warehouse), read_only=True) as wh:
            as_of = wh.execute("SELECT max(as_of) FROM snapshot").fetchone()[0]
            d_from = dt.date(as_of.year - 1, 1, 1)
            want = compute(wh, d_from, dt.date(as_of.year - 1, 12, 31))
        got = compute(con, d_from, dt.date(as_of.year - 1, 12, 31))
        assert want["received"] > 0
        assert json.dumps(got, sort_keys=True, default=str) == json.dumps(want, sort_keys=True, default=str)
    with pytest.raises(ExportError, match="tidak ada di ekspor"):
        attach_parquet(con, "memory://bucket/monev", pemda="35.99")
    with pytest.raises(ExportError, match="bukan ekspor"):
        attach_parquet(con, "memory://bucket/kosong")
