"""Behaviour fingerprint of the build, the KPI engine and the scorecards (issue 20).

Rebuilds the warehouse of a data directory that already holds raw files (e.g. the
test demo: ``monev demo --seed 42 ...``), then records

* a hash of every warehouse table's sorted content (run-specific values removed:
  snapshot and run ids, input hash, build times),
* ``monev kpi --format json`` for several periods and a department filter,
* the text of the city's and two OPDs' scorecards (PDF text via pypdf, XLSX cell values),

as one JSON document. Two fingerprints taken before and after a restructuring must
be identical (``--compare OTHER.json`` prints the differences).

    .venv/bin/python scripts/fingerprint.py DATA_DIR OUT.json [--compare BEFORE.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

PERIODS = ["2025", "2026", "2026-Q3", "2026-07", "2024-S2"]
SCORECARD_PERIOD = "2026-Q3"
# Columns whose values depend on the run (time, id) rather than on the data and the code.
VOLATILE = {
    "snapshot": {"snapshot_id", "input_hash", "built_at"},
    "run_log": {"run_id", "started_at", "finished_at", "message"},
    "kpi_facts_meta": {"snapshot_id"},
}


def monev(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True,
                       env={**os.environ, "MONEV_PII_SALT": "test-salt", **(env or {})}, check=False)
    return r


def rebuild(data_dir: Path) -> str:
    """A fresh build of data_dir's raw files; returns the run's stdout."""
    shutil.rmtree(data_dir / "curated", ignore_errors=True)
    shutil.rmtree(data_dir / "staging", ignore_errors=True)
    r = monev("run", "--data-dir", str(data_dir), "-q")
    if r.returncode != 0:
        raise SystemExit(f"monev run failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


def run_ids(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    sid, ih = con.execute("SELECT snapshot_id, input_hash FROM snapshot").fetchone()
    return {sid: "<snapshot_id>", ih: "<input_hash>"}


def scrub(text: str, ids: dict[str, str], generated: bool = False) -> str:
    """Replace this run's ids (and, for scorecards, the time they were generated) with placeholders."""
    for k, v in ids.items():
        text = text.replace(k, v)
    if not generated:
        return text
    text = re.sub(r"\b\d{2}\.\d{2} WIB", "<HH.MM> WIB", text)
    text = re.sub(r"datetime\.datetime\((\d+, \d+, \d+), \d+, \d+(, \d+)?\)", r"datetime(\1, <time>)", text)
    return text


def table_hashes(con: duckdb.DuckDBPyConnection, ids: dict[str, str]) -> dict[str, dict]:
    out = {}
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
    for t in tables:
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [t]).fetchall()]
        keep = [c for c in cols if c not in VOLATILE.get(t, set())]
        rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in keep)} FROM "{t}"').fetchall()  # noqa: S608
        lines = sorted(scrub(repr(r), ids) for r in rows)
        h = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
        out[t] = {"rows": len(rows), "columns": keep, "hash": h}
    return out


def kpi_outputs(data_dir: Path, ids: dict[str, str]) -> dict[str, str]:
    out = {}
    runs = [[p] for p in PERIODS] + [["2026", "--department", "Dinas Pekerjaan Umum dan Penataan Ruang"],
                                     ["2025-Q4", "--channel", "WhatsApp"]]
    for args in runs:
        r = monev("kpi", "--period", args[0], *args[1:], "--format", "json", "--data-dir", str(data_dir))
        key = " ".join(args)
        out[key] = hashlib.sha256(scrub(r.stdout + r.stderr, ids).encode()).hexdigest()[:16] + f" rc={r.returncode}"
    return out


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def xlsx_text(path: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"## {ws.title}")
        for row in ws.iter_rows(values_only=True):
            lines.append(repr(row))
    return "\n".join(lines)


def scorecards(data_dir: Path, ids: dict[str, str], keep: Path | None) -> dict[str, str]:
    con = duckdb.connect(str(data_dir / "curated" / "monev.duckdb"), read_only=True)
    depts = [r[0] for r in con.execute(
        "SELECT department FROM complaints WHERE department IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 2"
    ).fetchall()]
    con.close()
    out_dir = Path(tempfile.mkdtemp(prefix="fp-rapor-"))
    args = ["scorecard", "--period", SCORECARD_PERIOD, "--kota", "--jobs", "1", "--out", str(out_dir),
            "--data-dir", str(data_dir)]
    for d in depts:
        args += ["--department", d]
    r = monev(*args)
    if r.returncode != 0:
        raise SystemExit(f"monev scorecard failed:\n{r.stdout}\n{r.stderr}")
    out = {}
    for f in sorted(out_dir.iterdir()):
        if f.suffix == ".pdf":
            text = pdf_text(f)
        elif f.suffix == ".xlsx":
            text = xlsx_text(f)
        else:
            text = f.read_text(encoding="utf-8")
            text = "\n".join(",".join(line.split(",")[:-2]) for line in text.splitlines())  # no sha256/size
        text = scrub(text, ids, generated=True)
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / (f.name + ".txt")).write_text(text, encoding="utf-8")
        out[f.name] = hashlib.sha256(text.encode()).hexdigest()[:16]
    shutil.rmtree(out_dir)
    return out


def fingerprint(data_dir: Path, keep: Path | None = None) -> dict:
    rebuild(data_dir)
    con = duckdb.connect(str(data_dir / "curated" / "monev.duckdb"), read_only=True)
    ids = run_ids(con)
    tables = table_hashes(con, ids)
    con.close()
    whole = hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()[:16]
    return {"warehouse": whole, "tables": tables, "kpi": kpi_outputs(data_dir, ids),
            "scorecards": scorecards(data_dir, ids, keep)}


def diff(a: dict, b: dict, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += diff(a.get(k), b.get(k), f"{path}/{k}")
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--compare", type=Path, help="an earlier fingerprint to compare with")
    ap.add_argument("--keep-text", type=Path, help="write the scorecards' text here (for a readable diff)")
    a = ap.parse_args()
    fp = fingerprint(a.data_dir, a.keep_text)
    a.out.write_text(json.dumps(fp, indent=1, sort_keys=True), encoding="utf-8")
    print(f"warehouse {fp['warehouse']}, {len(fp['tables'])} tables, {len(fp['kpi'])} KPI runs, "
          f"{len(fp['scorecards'])} scorecard files -> {a.out}")
    if a.compare:
        d = diff(json.loads(a.compare.read_text(encoding="utf-8")), fp)
        print("IDENTICAL" if not d else "DIFFERENT:\n" + "\n".join(d))
        sys.exit(1 if d else 0)


if __name__ == "__main__":
    main()
