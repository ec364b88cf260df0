"""`monev demo`: simulate the city, render its exports into <data-dir>/raw/, write the manifest.

The manifest (``<data-dir>/demo_manifest.json``, outside raw/ and free of personal
data) lists every file, every deliberate defect with its file, row and column, the
OPD names that cannot be matched, the duplicate pairs across channels, and the
counts the ingestion should reproduce.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from pipelines import __version__
from pipelines.demo import lapor as lapor_mod
from pipelines.demo import rekap as rekap_mod
from pipelines.demo import render
from pipelines.demo.files import Sheet, write_sheet
from pipelines.demo.simulate import missing_master_data, simulate_complaints, state_at
from pipelines.demo.truth import city_kpis
from pipelines.demo.workdays import WorkCalendar
from pipelines.masterdata import MasterData, load_master_data

MANIFEST_NAME = "demo_manifest.json"
DEFAULT_SEED = 42
DEFAULT_FROM = dt.date(2024, 1, 1)
DEFAULT_TO = dt.date(2026, 10, 31)
MIN_ROWS_FOR_DEFECT = 40  # one defect per file, so well under 5% of its rows


class DemoError(RuntimeError):
    """The demo cannot be written here; the message (Indonesian) says why and what to do."""


@dataclass
class DemoResult:
    raw_dir: Path
    manifest_path: Path
    manifest: dict[str, Any]
    files: list[Path]


# ---------------------------------------------------------------- guarding raw/
def _existing_files(raw: Path) -> list[Path]:
    return sorted(p for p in raw.rglob("*") if p.is_file() and p.name != "README.md") if raw.exists() else []


def _clear_previous(data_dir: Path, raw: Path, force: bool) -> None:
    """Refuse to mix with or overwrite data unless it is our own previous demo and --force is given."""
    existing = _existing_files(raw)
    mpath = data_dir / MANIFEST_NAME
    if not existing:
        return
    if not mpath.exists():
        raise DemoError(
            f"Direktori {raw} sudah berisi {len(existing)} berkas yang bukan data demo (tidak ada {MANIFEST_NAME}). "
            "Data demo tidak ditulis agar tidak tercampur dengan ekspor asli. Pakai --data-dir lain, misalnya ./data-demo."
        )
    old = json.loads(mpath.read_text(encoding="utf-8"))
    ours = {raw / f["path"] for f in old.get("files", [])}
    foreign = [p for p in existing if p not in ours]
    if foreign:
        raise DemoError(
            f"Direktori {raw} berisi berkas yang bukan bagian dari demo sebelumnya, mis. {foreign[0].relative_to(raw)}. "
            "Pindahkan berkas itu atau pakai --data-dir lain; demo tidak akan menimpanya."
        )
    if not force:
        raise DemoError(
            f"Data demo sudah ada di {raw} ({len(existing)} berkas). Tambahkan --force untuk menggantinya."
        )
    for p in existing:
        p.unlink()
    for d in sorted((p for p in raw.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(d.iterdir()):
            d.rmdir()
    mpath.unlink()


# ---------------------------------------------------------------- unmatched OPD names
def _assign_unmatched(truth: pl.DataFrame, md: MasterData, rng: np.random.Generator) -> dict[str, str]:
    """Two LAPOR! complaints and one rekap complaint get an OPD name the master data lacks."""
    names = render.unmatched_names(md, 3)
    wanted = [("lapor", "pasar"), ("lapor", "air_minum"), ("rekap", "sampah")]
    pool = truth.filter(
        pl.col("department").is_not_null()
        & pl.col("duplicate_of").is_null()
        & ~pl.col("source_id").is_in(truth["duplicate_of"].drop_nulls().implode())
    )
    out: dict[str, str] = {}
    for name, (system, topic) in zip(names, wanted, strict=False):
        cand = pool.filter((pl.col("source_system") == system) & (pl.col("topic") == topic))
        if cand.is_empty():
            cand = pool.filter(pl.col("source_system") == system)
        cand = cand.filter(~pl.col("source_id").is_in(list(out)))
        if cand.is_empty():
            continue
        out[cand["source_id"][int(rng.integers(0, cand.height))]] = name
    return out


# ---------------------------------------------------------------- defects
def _date_cell(sheet: Sheet, value: dt.datetime) -> Any:
    if sheet.date_form == "serial":
        return value if sheet.kind == "lapor" else value.date()
    return render.format_dates(pl.Series([value]), sheet.date_form, agustus=sheet.agustus)[0]


def _place_defects(
    lapor_sheets: list[Sheet],
    rekap_sheets: list[Sheet],
    rng: np.random.Generator,
    avoid: set[str],
    reported: dict[str, dt.datetime],
) -> tuple[list[dict[str, Any]], list[str]]:
    """Put each kind of broken row once, each in a different file. LAPOR! defects go into a
    snapshot whose complaint appears again, unbroken, in the next export."""
    defects: list[dict[str, Any]] = []
    skipped: list[str] = []
    used: set[str] = set()

    def lapor_candidates(fmt: str) -> list[tuple[Sheet, list[tuple[int, Any]]]]:
        out = []
        for i, sh in enumerate(lapor_sheets[:-1]):
            data = sh.data_rows()
            if sh.fmt != fmt or len(data) < MIN_ROWS_FOR_DEFECT or sh.rel_path in used:
                continue
            nxt = {r.key for _, r in lapor_sheets[i + 1].data_rows()}
            rows = [(n, r) for n, r in data if r.key in nxt and r.key not in avoid]
            if rows:
                out.append((sh, rows))
        return out

    def rekap_candidates(fmt: str) -> list[tuple[Sheet, list[tuple[int, Any]]]]:
        out = []
        for sh in rekap_sheets:
            data = sh.data_rows()
            if sh.fmt != fmt or len(data) < MIN_ROWS_FOR_DEFECT or sh.rel_path in used:
                continue
            rows = [(n, r) for n, r in data if r.key not in avoid]
            if rows:
                out.append((sh, rows))
        return out

    plan = (
        ("missing_id", "lapor", "csv", "source_id", None),
        ("future_timestamp", "lapor", "csv", "first_response_at", ("in_progress", "postponed")),
        ("placeholder_date", "lapor", "xlsx", "verified_at", ("awaiting_response", "in_progress", "resolved")),
        ("resolved_before_reported", "lapor", "xlsx", "resolved_at", ("resolved",)),
        ("unparseable_date", "rekap", "xlsx", "reported_at", None),
        ("unknown_status", "rekap", "csv", "status", None),
    )
    for kind, system, fmt, field, statuses in plan:
        cands = lapor_candidates(fmt) if system == "lapor" else rekap_candidates(fmt)
        cands = [(sh, [(n, r) for n, r in rows if statuses is None or r.status in statuses]) for sh, rows in cands]
        cands = [(sh, rows) for sh, rows in cands if rows]
        if not cands:
            skipped.append(kind)
            continue
        sh, rows = cands[int(rng.integers(0, len(cands)))]
        n, row = rows[int(rng.integers(0, len(rows)))]
        col = sh.column(field)
        if kind == "missing_id":
            row.cells[col] = None
        elif kind == "future_timestamp":
            row.cells[col] = _date_cell(sh, dt.datetime.combine(sh.export_date + dt.timedelta(days=3), dt.time(10, 15)))
        elif kind == "placeholder_date":
            row.cells[col] = _date_cell(sh, dt.datetime(1900, 1, 1))
        elif kind == "resolved_before_reported":
            row.cells[col] = _date_cell(sh, reported[row.key] - dt.timedelta(days=40))
        elif kind == "unparseable_date":
            text = render.format_dates(pl.Series([reported[row.key]]), "dmy_slash")[0] if sh.date_form == "serial" else row.cells[col]
            row.cells[col] = text[:-4] + text[-4:].replace("0", "O", 1)
        elif kind == "unknown_status":
            row.cells[col] = render.UNKNOWN_STATUS_LABEL
        row.status = None
        used.add(sh.rel_path)
        defects.append({"file": sh.rel_path, "row": n, "column": sh.header[col], "kind": kind, "source_id": row.key})
        avoid.add(row.key)
    return defects, skipped


# ---------------------------------------------------------------- expectations
def _counts(s: pl.Series) -> dict[str, int]:
    vc = s.fill_null("(kosong)").value_counts(sort=True)
    return {str(k): int(v) for k, v in zip(vc[:, 0].to_list(), vc[:, 1].to_list(), strict=True)}


def _expected(
    truth: pl.DataFrame, sheets: list[Sheet], defect_cells: set[tuple[str, int]], unmatched: dict[str, str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every data row written (file, row, key, snapshot, defect) and each complaint's expected
    final state: the last unbroken row that shows it."""
    occ = []
    for sh in sheets:
        for n, r in sh.data_rows():
            occ.append((sh.rel_path, n, r.key, "lapor" if sh.kind == "lapor" else "rekap", sh.snapshot, (sh.rel_path, n) in defect_cells))
    occ_df = pl.DataFrame(
        occ, schema=["file", "row", "source_id", "source_system", "snapshot", "defect"], orient="row"
    ).with_columns(pl.col("snapshot").cast(pl.Datetime("us")))
    last = (
        occ_df.filter(~pl.col("defect") & pl.col("source_id").is_not_null())
        .sort(["snapshot", "file", "row"])
        .group_by(["source_system", "source_id"], maintain_order=True)
        .last()
    )
    parts = []
    for (snap,), grp in last.group_by(["snapshot"], maintain_order=True):
        keys = grp.select("source_system", "source_id", "file", "row")
        st = state_at(truth.join(keys, on=["source_system", "source_id"], how="semi"), snap)
        parts.append(st.join(keys, on=["source_system", "source_id"], how="left"))
    exp = pl.concat(parts).sort(["reported_at", "source_system", "source_id"])
    exp = exp.with_columns(
        department=pl.when(pl.col("source_id").is_in(list(unmatched))).then(None).otherwise(pl.col("department"))
    )
    return occ_df, exp


def _file_entry(sh: Sheet, path: Path) -> dict[str, Any]:
    e: dict[str, Any] = {
        "path": sh.rel_path,
        "format": sh.fmt,
        "kind": sh.kind,
        "channel": sh.channel,
        "export_date": sh.export_date.isoformat(),
        "as_of": sh.snapshot.isoformat(sep=" "),
    }
    if sh.fmt == "csv":
        e["encoding"] = {"cp1252": "windows-1252", "utf-8-sig": "utf-8 (BOM)", "utf-8": "utf-8"}[sh.encoding]
        e["delimiter"] = sh.delimiter
    e["header"] = sh.header
    e.update(sh.counts())
    e["features"] = sorted(sh.features)
    e["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    e["size_bytes"] = path.stat().st_size
    return e


# ---------------------------------------------------------------- main entry
def write_demo(
    data_dir: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    start: dt.date = DEFAULT_FROM,
    end: dt.date = DEFAULT_TO,
    rows: int | None = None,
    scale: float = 1.0,
    force: bool = False,
    md: MasterData | None = None,
) -> DemoResult:
    """Simulate and write a demo: raw exports under ``<data_dir>/raw/`` and the manifest beside raw/."""
    if end < start:
        raise DemoError(f"Tanggal akhir {end.isoformat()} sebelum tanggal awal {start.isoformat()}.")
    if rows is not None and rows < 1:
        raise DemoError("--rows harus bilangan bulat positif.")
    if scale <= 0:
        raise DemoError("--scale harus lebih besar dari 0.")
    md = md or load_master_data()
    missing = missing_master_data(md)
    if missing:
        raise DemoError(
            f"Data demo dibuat untuk master data Kota Blitar; konfigurasi di {md.config_dir} tidak memuat: "
            f"{', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}. Jalankan demo dengan konfigurasi bawaan "
            "(tanpa --config-dir) atau tambahkan nama-nama itu ke config."
        )
    data_dir = Path(data_dir)
    raw = data_dir / "raw"
    _clear_previous(data_dir, raw, force)

    truth = simulate_complaints(seed, start, end, rows=rows, scale=scale, md=md)
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 424242]))
    unmatched = _assign_unmatched(truth, md, rng)

    lapor = truth.filter(pl.col("source_system") == "lapor")
    rekap = truth.filter(pl.col("source_system") == "rekap")
    lapor_sheets = [
        lapor_mod.build_export(lapor, exp, md, rng, unmatched) for exp in lapor_mod.export_schedule(start, end)
    ]
    lapor_sheets = [s for s in lapor_sheets if s.data_rows()]
    rekap_sheets = []
    for i, rf in enumerate(rekap_mod.rekap_plan(rekap, start, end)):
        sh = rekap_mod.build_rekap(rekap, rf, md, rng, end, unmatched, i)
        if sh is not None:
            rekap_sheets.append(sh)

    dup_keys = set(truth["duplicate_of"].drop_nulls().to_list()) | set(
        truth.filter(pl.col("duplicate_of").is_not_null())["source_id"].to_list()
    )
    reported = dict(zip(truth["source_id"].to_list(), truth["reported_at"].to_list(), strict=True))
    defects, skipped = _place_defects(lapor_sheets, rekap_sheets, rng, dup_keys | set(unmatched), reported)

    # One LAPOR! export in the real "Laporan Ringkas" layout (input-formats.md 1a), added after
    # the defects are placed (it has none) and drawn from its own random stream.
    ringkas_on = lapor_mod.ringkas_date(lapor_mod.export_schedule(start, end))
    ringkas = [lapor_mod.build_ringkas(lapor, ringkas_on, md, unmatched, seed)] if ringkas_on else []
    sheets = lapor_sheets + [s for s in ringkas if s.data_rows()] + rekap_sheets
    raw.mkdir(parents=True, exist_ok=True)
    paths = [write_sheet(sh, raw) for sh in sheets]

    defect_cells = {(d["file"], d["row"]) for d in defects}
    occ, exp = _expected(truth, sheets, defect_cells, unmatched)
    manifest = _manifest(
        seed=seed, start=start, end=end, rows=rows, scale=scale, md=md, truth=truth, sheets=sheets, paths=paths,
        defects=defects, skipped=skipped, unmatched=unmatched, occ=occ, exp=exp,
    )
    mpath = data_dir / MANIFEST_NAME
    mpath.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return DemoResult(raw, mpath, manifest, paths)


def _manifest(
    *, seed, start, end, rows, scale, md, truth, sheets, paths, defects, skipped, unmatched, occ, exp
) -> dict[str, Any]:
    cal = WorkCalendar(md, start.year - 1, end.year + 2)
    last_file = dict(zip(exp["source_id"].to_list(), zip(exp["file"].to_list(), exp["row"].to_list(), strict=True), strict=True))
    header_of = {sh.rel_path: sh.header[sh.fields.index("department")] for sh in sheets}

    unmatched_out = []
    for sid, name in sorted(unmatched.items(), key=lambda kv: kv[1]):
        files = occ.filter((pl.col("source_id") == sid) & ~pl.col("defect"))
        unmatched_out.append(
            {
                "name": name,
                "source_system": files["source_system"][0] if files.height else None,
                "source_id": sid,
                "occurrences": [
                    {"file": f, "row": r, "column": header_of[f]} for f, r in zip(files["file"].to_list(), files["row"].to_list(), strict=True)
                ],
            }
        )
    channel_of = dict(zip(truth["source_id"].to_list(), truth["channel"].to_list(), strict=True))
    dups = []
    for copy in truth.filter(pl.col("duplicate_of").is_not_null()).iter_rows(named=True):
        orig = copy["duplicate_of"]
        if orig not in last_file or copy["source_id"] not in last_file:
            continue
        rf, rr = last_file[orig]
        lf, lr = last_file[copy["source_id"]]
        dups.append(
            {
                "rekap": {"file": rf, "row": rr, "source_id": orig},
                "lapor": {"file": lf, "row": lr, "source_id": copy["source_id"]},
                "channel": channel_of[orig],
                "department": copy["department"],
                "category": copy["category"],
            }
        )
    data_rows = int(occ.height)
    n_def = len(defects)
    expected = {
        "data_rows": data_rows,
        "quarantined_rows": n_def,
        "loaded_rows": data_rows - n_def,
        "complaints": exp.height,
        "complaints_by_source": _counts(exp["source_system"]),
        "complaints_unique": exp.height - len(dups),
        "duplicate_pairs": len(dups),
        "by_status": _counts(exp["status"]),
        "by_channel": _counts(exp["channel"]),
        "by_year": _counts(exp["reported_at"].dt.year().cast(pl.String)),
        "by_kecamatan": _counts(exp["kecamatan"]),
        "department_unmatched_complaints": len(unmatched),
        "department_missing_complaints": int(exp["department"].is_null().sum()),
        "complaints_with_pii_in_text": int(exp["pii_in_text"].sum()),
        "complaints_lost_to_defects": int(occ["source_id"].n_unique() - exp.height),
        "complaints_in_no_file": int(truth.height - occ["source_id"].n_unique()),
        "kpi_reference": city_kpis(exp, md, cal, end),
        "kpi_reference_note": (
            "Angka acuan dari simulasi (seluruh periode, as-of tanggal akhir, duplikat dihitung sekali) "
            "dengan keadaan terakhir yang terlihat di berkas; mesin KPI harus memberi angka yang sama."
        ),
    }
    return {
        "generator": "monev demo",
        "app_version": __version__,
        "seed": seed,
        "options": {"from": start.isoformat(), "to": end.isoformat(), "rows": rows, "scale": scale},
        "config_hash": md.config_hash(),
        "note": (
            "Berkas demo SP4N-LAPOR! dan rekap untuk Kota Blitar (fiktif). Nomor baris: baris spreadsheet "
            "berbasis 1 (baris judul dan kop ikut dihitung); untuk CSV nomor record termasuk record judul kolom. "
            "Manifest ini tidak memuat data pribadi."
        ),
        "files": [_file_entry(sh, p) for sh, p in zip(sheets, paths, strict=True)],
        "defects": defects,
        "defects_skipped": skipped,
        "unmatched_departments": unmatched_out,
        "duplicates": dups,
        "expected": expected,
        "truth": {
            "complaints": truth.height,
            "by_source": _counts(truth["source_system"]),
            "by_status": _counts(truth["status"]),
            "note": "Simulasi pada akhir tanggal akhir; berkas menunjukkan tiap pengaduan pada ekspor terakhir yang memuatnya.",
        },
    }
