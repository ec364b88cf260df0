"""The public entry points: one scorecard as PDF or XLSX bytes, and a batch of them."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import sys
import types
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipelines.periods import DEFAULT_COMPARISON, Period
from pipelines.safe_export import rows_to_csv_bytes
from pipelines.scorecard.content import gather
from pipelines.scorecard.data import CityContext, city_context
from pipelines.scorecard.model import ScorecardData, ScorecardError, now_wib
from pipelines.scorecard.xlsx import build_xlsx

FORMATS = ("pdf", "xlsx")
INDEX_NAME = "indeks_rapor.csv"
INDEX_COLUMNS = ("berkas", "format", "cakupan", "opd", "periode", "label_periode", "snapshot_id", "data_per",
                 "hash_data", "predikat", "sha256", "ukuran_byte")


def render_pdf(
    con: duckdb.DuckDBPyConnection,
    period: Period | str,
    department: str | None = None,
    *,
    generated_at: dt.datetime | None = None,
    context: CityContext | None = None,
    config_dir: str | Path | None = None,
    comparison: str = DEFAULT_COMPARISON,
) -> bytes:
    """The PDF scorecard of the city (``department=None``) or one OPD for ``period`` (e.g. '2025-Q3').
    ``comparison``: 'sebelumnya' or 'tahun_lalu' (the comparison column, as on the dashboard)."""
    # pdf.py loads reportlab and matplotlib: +1,2 s measured on top of this module (2,9 s), so it is
    # loaded when a PDF is made, not by every reader of the scorecard package (the dashboard's lists).
    from pipelines.scorecard.pdf import build_pdf

    return build_pdf(gather(con, period, department, generated_at=generated_at, context=context,
                            config_dir=config_dir, comparison=comparison))


def render_xlsx(
    con: duckdb.DuckDBPyConnection,
    period: Period | str,
    department: str | None = None,
    *,
    generated_at: dt.datetime | None = None,
    context: CityContext | None = None,
    config_dir: str | Path | None = None,
    comparison: str = DEFAULT_COMPARISON,
) -> bytes:
    """The Excel scorecard of the city (``department=None``) or one OPD for ``period``."""
    return build_xlsx(gather(con, period, department, generated_at=generated_at, context=context,
                             config_dir=config_dir, comparison=comparison))


def render(data: ScorecardData, fmt_: str) -> bytes:
    """Lay out gathered content in one format ('pdf' or 'xlsx')."""
    if fmt_ == "pdf":
        from pipelines.scorecard.pdf import build_pdf

        return build_pdf(data)
    if fmt_ == "xlsx":
        return build_xlsx(data)
    raise ScorecardError(f"Format '{fmt_}' tidak dikenal; pakai pdf atau xlsx.")


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """'pdf,xlsx' -> ('pdf', 'xlsx'); unknown names raise ScorecardError."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for item in items:
        f = item.strip().lower()
        if not f:
            continue
        if f not in FORMATS:
            raise ScorecardError(f"Format '{item.strip()}' tidak dikenal; pakai pdf, xlsx atau pdf,xlsx.")
        if f not in out:
            out.append(f)
    if not out:
        raise ScorecardError("Pilih paling sedikit satu format: pdf, xlsx atau pdf,xlsx.")
    return tuple(out)


def slug(text: str, max_len: int = 80) -> str:
    """'Dinas Pekerjaan Umum dan Penataan Ruang' -> 'dinas-pekerjaan-umum-dan-penataan-ruang'."""
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return (s[:max_len].rstrip("-")) or "unit"


def file_name(data: ScorecardData, fmt_: str) -> str:
    key = data.period.key.replace("..", "_")
    return f"rapor_{key}_{slug(data.unit)}.{fmt_}"


@dataclass(frozen=True)
class Produced:
    """One file of a batch (a row of the index)."""

    name: str
    format: str
    scope: str
    department: str
    period: str
    period_label: str
    snapshot_id: str
    as_of: str
    input_hash: str
    predikat: str
    sha256: str
    size: int

    def row(self) -> list[Any]:
        return [self.name, self.format, self.scope, self.department, self.period, self.period_label,
                self.snapshot_id, self.as_of, self.input_hash, self.predikat, self.sha256, self.size]


def all_departments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every OPD in the warehouse's master data, by name."""
    return [r[0] for r in con.cursor().execute("SELECT department FROM departments ORDER BY department").fetchall()]


def _produced(data: ScorecardData, formats: Sequence[str]) -> list[tuple[Produced, bytes]]:
    out = []
    for f in formats:
        blob = render(data, f)
        out.append((Produced(
            name=file_name(data, f), format=f, scope=data.scope, department=data.department or "",
            period=data.period.key, period_label=data.period.label, snapshot_id=data.snapshot_id,
            as_of=data.as_of.isoformat(), input_hash=data.input_hash, predikat=data.rating.predikat,
            sha256=hashlib.sha256(blob).hexdigest(), size=len(blob),
        ), blob))
    return out


def generate(
    con: duckdb.DuckDBPyConnection,
    period: Period | str,
    *,
    departments: Iterable[str] | None = None,
    city: bool = True,
    formats: Sequence[str] = FORMATS,
    generated_at: dt.datetime | None = None,
    config_dir: str | Path | None = None,
    on_unit: Callable[[str], None] | None = None,
    jobs: int = 1,
    warehouse: str | Path | None = None,
    comparison: str = DEFAULT_COMPARISON,
) -> Iterator[tuple[Produced, bytes]]:
    """Yield (index row, bytes) for the city (``city=True``) and each OPD in ``departments``, in each format,
    in that order.

    All units share one generation time and one ``CityContext`` per process. With ``jobs`` > 1 and the
    ``warehouse`` file given, units are rendered by that many worker processes (each opens the warehouse
    read-only). ``on_unit(name)`` is called as each unit is taken up (for a progress bar)."""
    t = generated_at or now_wib()
    ctx = city_context(con, period, config_dir=config_dir, comparison=comparison)
    units: list[str | None] = ([None] if city else []) + list(departments or [])
    names = [ctx.city_name if u is None else u for u in units]
    if jobs > 1 and warehouse is not None and len(units) > 2:
        yield from _generate_parallel(Path(warehouse), ctx, units, names, formats, t, config_dir, jobs, on_unit,
                                      comparison)
        return
    for unit, name in zip(units, names, strict=True):
        if on_unit is not None:
            on_unit(name)
        yield from _produced(gather(con, ctx.period, unit, generated_at=t, context=ctx), formats)


_WORKER: dict[str, Any] = {}


def _worker_init(warehouse: str, period: Period, as_of: dt.date, config_dir: str | None, comparison: str) -> None:
    con = duckdb.connect(warehouse, read_only=True)
    _WORKER["con"] = con
    _WORKER["ctx"] = city_context(con, period, as_of=as_of, config_dir=config_dir, comparison=comparison)


def _worker_unit(args: tuple[str | None, tuple[str, ...], dt.datetime]) -> list[tuple[Produced, bytes]]:
    unit, formats, t = args
    con, ctx = _WORKER["con"], _WORKER["ctx"]
    return _produced(gather(con, ctx.period, unit, generated_at=t, context=ctx), formats)


@contextmanager
def _no_main_script() -> Iterator[None]:
    """Spawned workers re-run the parent's ``__main__`` script by path before they start. Under
    Streamlit (or its AppTest) that is the dashboard script, which must not run in a worker; the
    workers need nothing from it (their functions live in this module), so hide it while they start."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__file__", None) is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _generate_parallel(
    warehouse: Path, ctx: CityContext, units: list[str | None], names: list[str], formats: Sequence[str],
    t: dt.datetime, config_dir: str | Path | None, jobs: int, on_unit: Callable[[str], None] | None,
    comparison: str,
) -> Iterator[tuple[Produced, bytes]]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent holds a DuckDB connection and library threads. A worker that cannot
    # start (its initializer raises) breaks the executor, which raises here instead of waiting forever
    # (multiprocessing.Pool would respawn the failing worker again and again).
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(units)), mp_context=mp.get_context("spawn"), initializer=_worker_init,
        initargs=(str(warehouse), ctx.period, ctx.as_of, None if config_dir is None else str(config_dir),
                  comparison),
    )
    try:
        with _no_main_script():
            results = pool.map(_worker_unit, [(u, tuple(formats), t) for u in units])
        for name, produced in zip(names, results, strict=True):
            if on_unit is not None:
                on_unit(name)
            yield from produced
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def index_csv(rows: Iterable[Produced]) -> bytes:
    """The index of a batch as CSV (UTF-8 with BOM; text cells neutralised)."""
    return rows_to_csv_bytes(INDEX_COLUMNS, [r.row() for r in rows])


def read_index(data: bytes) -> list[dict[str, str]]:
    """Read an index written by ``index_csv`` (for tests and tools)."""
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def write_batch(out_dir: str | Path, produced: Iterable[tuple[Produced, bytes]]) -> list[Produced]:
    """Write every file of a batch into ``out_dir`` and the index CSV beside them."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for row, blob in produced:
        tmp = out / (row.name + ".tmp")
        tmp.write_bytes(blob)
        tmp.replace(out / row.name)
        rows.append(row)
    (out / INDEX_NAME).write_bytes(index_csv(rows))
    return rows


def zip_batch(produced: Iterable[tuple[Produced, bytes]], *, generated_at: dt.datetime | None = None) -> bytes:
    """Every file of a batch and the index in one ZIP (for the dashboard's download)."""
    t = generated_at or now_wib()
    stamp = (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)
    buf = io.BytesIO()
    rows = []
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for row, blob in produced:
            z.writestr(zipfile.ZipInfo(row.name, date_time=stamp), blob, compress_type=zipfile.ZIP_DEFLATED)
            rows.append(row)
        z.writestr(zipfile.ZipInfo(INDEX_NAME, date_time=stamp), index_csv(rows), compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
