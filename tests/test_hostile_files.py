"""A corpus of hostile files (issue 17): every kind is refused or loaded as documented, with one message
naming the file and the row or the limit (and its setting), never a traceback; a refused run leaves the
published warehouse byte for byte as it was; `monev run` on the zip bomb stays far below 1,5 GiB.

The files are made by ``tests/hostile_files.py`` (small on disk: the zip bomb is 4 MB declaring 1,1 GB).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hostile_files import GOOD, LAPOR_COLS, lapor_csv, small_xlsx, zip_bomb

from pipelines.build.core import run_pipeline
from pipelines.ingest import FileRefused, load_profiles, stage_file
from pipelines.masterdata import load_master_data
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

RLO = "\u202e"


def _rows(n: int, prefix: str = "G") -> list[dict[str, str]]:
    return [{"Tracking ID": f"{prefix}{i}"} for i in range(n)]


def _refused_kinds(raw: Path) -> dict[str, tuple[Path, list[str]]]:
    """kind -> (file in raw/, what the refusal must say). All refused with the default limits."""
    k: dict[str, tuple[Path, list[str]]] = {}

    def put(kind: str, path: Path, *says: str) -> None:
        k[kind] = (path, list(says))

    (raw / "kosong.csv").write_bytes(b"")
    put("empty", raw / "kosong.csv", "kosong.csv ditolak", "kosong")
    put("header_only", lapor_csv(raw / "lapor_judul_saja.csv", []), "hanya berisi baris judul kolom")
    good_xlsx = small_xlsx(raw / "tmp.xlsx", LAPOR_COLS, [[GOOD.get(c, "x") for c in LAPOR_COLS]]).read_bytes()
    (raw / "tmp.xlsx").unlink()
    (raw / "terpotong.xlsx").write_bytes(good_xlsx[: len(good_xlsx) // 2])
    put("truncated_xlsx", raw / "terpotong.xlsx", "rusak atau terpotong")
    (raw / "laporan.xlsx").write_bytes(b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")
    put("renamed_pdf", raw / "laporan.xlsx", "dokumen PDF")
    put("zip_bomb", zip_bomb(raw / "bom.xlsx"), "limits.max_xlsx_uncompressed_mb", "bom ZIP", "1.100,0 MB")
    put("zip_bomb_forged_sizes", zip_bomb(raw / "bom_palsu.xlsx", inflated_mb=64, lie_about_size=True),
        "rusak atau terpotong")
    (raw / "bersarang.json").write_text("[" * 200_000 + "]" * 200_000)
    put("nested_json", raw / "bersarang.json", "limits.max_json_depth", "lebih dari 20 tingkat")
    (raw / "kunci.json").write_text(json.dumps([{f"k{i}": i for i in range(1500)}]))
    put("json_many_keys", raw / "kunci.json", "laporan ke-1 berisi 1500 kunci", "limits.max_fields_per_row")
    (raw / "terpotong.json").write_text('[{"service_request_id": "1", "status": "open"')
    put("truncated_json", raw / "terpotong.json", "JSON tidak valid atau terpotong")
    wide = raw / "lebar.csv"
    wide.write_text(";".join(LAPOR_COLS) + "\n" + ";".join(["x"] * 100_000) + "\n")
    put("many_fields_in_a_row", wide, "baris 2 berisi 100000 kolom", "limits.max_fields_per_row")
    small_xlsx(raw / "kolom_banyak.xlsx", [f"Kolom {i}" for i in range(400)], [["x"] * 400])
    put("too_many_columns", raw / "kolom_banyak.xlsx", "400 kolom, melebihi batas 300", "limits.max_columns")
    (raw / "acak.csv").write_bytes(bytes(range(256)) * 64)
    put("binary", raw / "acak.csv", "bukan teks CSV")
    import zipfile

    with zipfile.ZipFile(raw / "arsip.xlsx", "w") as zf:
        zf.writestr("foto.jpg", b"\xff\xd8\xff" + b"0" * 100)
    put("zip_not_xlsx", raw / "arsip.xlsx", "bukan buku kerja Excel")
    os.symlink("/etc/passwd", raw / "lapor_2025-04-01.csv")
    put("symlink_to_passwd", raw / "lapor_2025-04-01.csv", "tautan simbolik", "tidak pernah diikuti")
    os.symlink("/etc", raw / "folder_lain")
    put("symlink_to_folder", raw / "folder_lain", "tautan simbolik")
    (raw / f"rekap{RLO}vsc.csv").write_text("a,b\n1,2\n")
    put("bidi_name_unknown_layout", raw / f"rekap{RLO}vsc.csv", "rekap\\u202evsc.csv ditolak")
    return k


def _limit_kinds(tmp: Path) -> dict[str, tuple[Path, str, list[str]]]:
    """kind -> (file, limits line for config/ingest.yaml, what the refusal says): limits set low in a test config."""
    big = lapor_csv(tmp / "besar.csv", _rows(2000))
    many = lapor_csv(tmp / "banyak.csv", _rows(60))
    long = lapor_csv(tmp / "panjang.csv", [{"Tracking ID": "L1", "Isi Laporan": "Jalan rusak. " * 100}])
    return {
        "file_size": (big, "max_file_mb: 0.1", ["ukurannya", "melebihi batas 0,1 MB", "limits.max_file_mb"]),
        "rows": (many, "max_rows: 50", ["lebih dari 50 baris", "limits.max_rows"]),
        "cell_length": (long, "max_cell_chars: 500", ["sel lebih dari 500 karakter", "limits.max_cell_chars"]),
    }


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    cfg = tmp / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    y = cfg / "ingest.yaml"
    y.write_text(y.read_text().replace("max_blocking_share: 0.05", "max_blocking_share: 1.0"))
    paths = Paths.from_args(tmp / "data", cfg)
    raw = paths.raw_dir
    # what loads: good rows, a row with surplus fields, formula cells, a bidi name, same-date contradictions
    lapor_csv(raw / "lapor_2025-03-01.csv", [*_rows(6), {"Tracking ID": "S1"},
                                             {"Tracking ID": "F1", "Judul": '=HYPERLINK("http://x.example","klik")',
                                              "Isi Laporan": "+1+1 @SUM(A1)"}],
              extra={6: "nilai lebih;dan lagi"})
    lapor_csv(raw / f"lapor{RLO}_2025-03-02.csv", _rows(3, "B"))
    lapor_csv(raw / "lapor_2025-03-03.csv", [{"Tracking ID": "K1"}])
    lapor_csv(raw / "lapor_2025-03-03_kedua.csv", [{"Tracking ID": "K1", "Status": "Proses", "Tanggal Selesai": ""}])
    first = run_pipeline(paths)
    assert first.published, first.message
    before = _sha(paths.warehouse)
    kinds = _refused_kinds(raw)
    second = run_pipeline(paths)
    yield {"paths": paths, "first": first, "second": second, "kinds": kinds, "before": before, "tmp": tmp}


def test_the_corpus_has_at_least_twenty_kinds(corpus):
    loaded = {"surplus_fields", "formula_cells", "bidi_name", "same_date_contradiction"}
    assert len(corpus["kinds"]) + len(_limit_kinds(corpus["tmp"] / "l")) + len(loaded) >= 20


def test_what_loads_loads_as_documented(corpus):
    con = duckdb.connect(str(corpus["paths"].warehouse), read_only=True)
    keys = {k for (k,) in con.execute("SELECT complaint_key FROM complaints").fetchall()}
    assert {"lapor:G0", "lapor:F1", "lapor:B0"} <= keys and not {"lapor:S1", "lapor:K1"} & keys
    title = con.execute("SELECT title FROM complaints WHERE complaint_key = 'lapor:F1'").fetchone()[0]
    assert not title.startswith("=")  # formula cells are text, never a formula
    rules = dict(con.execute("SELECT complaint_key, rule FROM quarantine").fetchall())
    assert rules == {"lapor:S1": "surplus_fields", "lapor:K1": "same_date_conflict"}
    msg = con.execute("SELECT message FROM quarantine WHERE complaint_key = 'lapor:S1'").fetchone()[0]
    assert "baris 8" in msg and "nilai lebih; dan lagi" in msg and "lapor_2025-03-01.csv" in msg
    files = {n for (n,) in con.execute("SELECT file_name FROM input_files").fetchall()}
    assert f"lapor{RLO}_2025-03-02.csv" in files  # the name is data; it is escaped only where shown
    con.close()


def test_every_refusal_names_the_file_and_the_limit_and_leaves_the_warehouse(corpus):
    res, kinds = corpus["second"], corpus["kinds"]
    assert res.status == "refused"
    by_path = {f.rel_path: f for f in res.files}
    for kind, (path, says) in kinds.items():
        f = by_path[path.relative_to(corpus["paths"].raw_dir).as_posix()]
        assert f.status == "refused", kind
        for s in says:
            assert s in f.message, (kind, f.message)
        assert "Traceback" not in f.message and "root:x:0:0" not in f.message, kind
        assert RLO not in f.message, kind
    assert _sha(corpus["paths"].warehouse) == corpus["before"]
    # the reconciliation holds on the refused run too: nothing loaded, the rest pending
    for f in res.files:
        if f.status == "ok":
            assert f.rows_loaded == 0 and f.rows_read == f.rows_quarantined + f.rows_skipped + f.rows_pending


def test_limits_from_the_configuration(corpus):
    tmp = corpus["tmp"] / "l"
    for kind, (path, setting, says) in _limit_kinds(tmp).items():
        cfg = tmp / f"cfg-{kind}"
        shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
        (cfg / "ingest.yaml").write_text(_with_limit((cfg / "ingest.yaml").read_text(), setting))
        md = load_master_data(cfg)
        with pytest.raises(FileRefused) as exc:
            stage_file(path, md, load_profiles(cfg))
        for s in [path.name, *says]:
            assert s in exc.value.message, (kind, exc.value.message)


def _with_limit(text: str, setting: str) -> str:
    key = setting.split(":")[0]
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith(f"{key}:")]
    out = "\n".join(lines)
    return out.replace("\nlimits:\n", f"\nlimits:\n  {setting}\n", 1)


def test_monev_run_on_the_corpus_no_traceback_bounded_memory(corpus):
    """The CLI in a child process: exit 1, each refusal printed, names escaped, peak memory < 1,5 GiB."""
    paths = corpus["paths"]
    # a fresh wrapper process: its only child is `monev run`, so RUSAGE_CHILDREN is that run's peak (VmHWM)
    wrapper = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
               "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
               "sys.exit(p.returncode)")
    proc = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "pipelines.cli", "run", "--data-dir",
                           str(paths.data_dir), "--config-dir", str(paths.config_dir), "-q"],
                          capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    peak_kib = int(out.rsplit("PEAK ", 1)[1].split()[0])
    assert proc.returncode == 1, out
    assert "Traceback" not in out and "RecursionError" not in out and "root:x:0:0" not in out
    assert "bom.xlsx ditolak" in out and "rekap\\u202evsc.csv" in out and RLO not in out
    assert "dibaca = dimuat + karantina + dilewati + tertunda" in out
    assert peak_kib * 1024 < 1.5 * 2**30, f"peak {peak_kib / 1024:.0f} MiB"
    print(f"monev run on the corpus (zip bomb included): peak {peak_kib / 1024:.0f} MiB")
    assert _sha(paths.warehouse) == corpus["before"]


def test_a_worker_that_runs_out_of_memory_is_a_refusal_not_a_crash(tmp_path, monkeypatch):
    from dashboard import jobs

    monkeypatch.setenv("MONEV_WORKER_MEMORY_MB", "300")  # too little even to import the pipeline
    with jobs._WORKER_LOCK:
        jobs._discard_worker()
    f = lapor_csv(tmp_path / "lapor_2025-03-01.csv", _rows(2))
    pv = jobs.preview_in_worker(f, DEFAULT_CONFIG_DIR, timeout=120)
    assert not pv.ok and "lapor_2025-03-01.csv ditolak" in pv.refused and "MONEV_WORKER_MEMORY_MB" in pv.refused
    monkeypatch.delenv("MONEV_WORKER_MEMORY_MB")
    with jobs._WORKER_LOCK:
        jobs._discard_worker()
    assert jobs.preview_in_worker(f, DEFAULT_CONFIG_DIR, timeout=300).ok
