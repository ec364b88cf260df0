"""Bounds on reading untrusted files (config/ingest.yaml ``limits``).

Every export is read as hostile until proven otherwise: its size, rows, columns, fields per row,
cell length, the decompressed size and compression ratio of an XLSX (checked on the ZIP's members
before any parser sees them) and the nesting depth of a JSON are bounded. A file over a limit is
refused with one paragraph naming the file, the limit and the setting that raises it.

Files are opened without following symbolic links (``O_NOFOLLOW``), so a link placed in raw/ is
never read through.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import zipfile
import zlib
from array import array
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import polars as pl

from pipelines import fmt
from pipelines.ingest.errors import FileRefused, refuse
from pipelines.masterdata import ConfigError, read_yaml
from pipelines.safe_text import shown_name

SETTING = "config/ingest.yaml, bagian limits"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """The bounds (defaults are generous for real exports and small for the machine)."""

    max_file_mb: float = 100  # any file
    max_rows: int = 500_000  # records of a CSV, rows of a sheet, objects of a JSON
    max_columns: int = 300  # columns of a sheet / keys over all JSON objects
    max_fields_per_row: int = 1_000  # fields in one CSV record, keys in one JSON object
    max_cell_chars: int = 1_000_000  # characters in one cell (a complaint text of 190.000 loads whole)
    max_xlsx_uncompressed_mb: float = 300  # sum of the members of an XLSX, decompressed
    max_xlsx_ratio: float = 100  # decompressed / compressed size of one XLSX member
    max_xlsx_members: int = 2_000  # entries in the XLSX's ZIP directory
    max_json_depth: int = 20  # nesting of [ and { in a JSON

    @classmethod
    def from_mapping(cls, raw: dict | None) -> ReadLimits:
        raw = dict(raw or {})
        known = {f.name: f.type for f in fields(cls)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ValueError(f"limits: pengaturan tidak dikenal: {', '.join(unknown)} (yang ada: {', '.join(known)})")
        out = {}
        for k, v in raw.items():
            val = float(v) if known[k] == "float" else int(v)
            if val <= 0:
                raise ValueError(f"limits.{k} harus lebih dari 0")
            out[k] = val
        return cls(**out)


@lru_cache(maxsize=8)
def _limits_for(path: str, mtime: float) -> ReadLimits:
    try:
        return ReadLimits.from_mapping((read_yaml(Path(path)) or {}).get("limits"))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"ingest.yaml: {exc}.") from exc


def read_limits(config_dir: Path | str | None) -> ReadLimits:
    """The limits of ``<config_dir>/ingest.yaml`` (defaults when absent)."""
    if config_dir is None:
        return ReadLimits()
    p = Path(config_dir) / "ingest.yaml"
    if not p.exists():
        return ReadLimits()
    return _limits_for(str(p), p.stat().st_mtime)


def _mb(n: float) -> str:
    return fmt.number(n / 2**20, 1) + " MB"


def over_limit(name: str, what: str, setting: str, todo: str | None = None) -> FileRefused:
    """The refusal for a file over one limit: names the file, the limit and the setting."""
    return refuse(
        name,
        "limit",
        f"{what} (batas pengaturan limits.{setting} di {SETTING.split(',')[0]})",
        todo or "Pecah ekspornya menjadi beberapa berkas yang lebih kecil (mis. per bulan), atau naikkan batas itu "
        "bila berkasnya memang wajar",
    )


# ---------------------------------------------------------------- bytes
def check_size(name: str, nbytes: int, lim: ReadLimits) -> None:
    if nbytes > lim.max_file_mb * 2**20:
        raise over_limit(name, f"ukurannya {_mb(nbytes)}, melebihi batas {_mb(lim.max_file_mb * 2**20)}", "max_file_mb")


def read_bounded(path: Path, lim: ReadLimits) -> bytes:
    """The file's bytes, never through a symbolic link and never more than ``max_file_mb``."""
    name = shown_name(path.name)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if path.is_symlink():
            raise symlink_refusal(name) from exc
        raise refuse(name, "unreadable", f"berkas tidak dapat dibuka ({exc.strerror})",
                     "Periksa bahwa berkasnya ada dan dapat dibaca, lalu ulangi") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise refuse(name, "not_regular", "ini bukan berkas biasa (mis. pipa, perangkat atau folder)",
                         "Letakkan berkas ekspor yang sebenarnya di folder raw")
        check_size(name, st.st_size, lim)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(int(lim.max_file_mb * 2**20) + 1)
        check_size(name, len(data), lim)
        return data
    finally:
        os.close(fd)


def symlink_refusal(name: str) -> FileRefused:
    return refuse(
        name,
        "symlink",
        "ini tautan simbolik (symlink) yang menunjuk ke berkas lain; folder raw hanya membaca berkas yang benar-benar "
        "ada di dalamnya, dan tautan tidak pernah diikuti",
        "Salin berkas ekspornya sendiri ke folder raw (bukan tautan), lalu jalankan monev run lagi",
    )


# ---------------------------------------------------------------- XLSX (a ZIP)
def check_zip(name: str, data: bytes, lim: ReadLimits) -> None:
    """Refuse a ZIP whose members are too many, too large, or compressed too well (a zip bomb),
    from its directory and then by decompressing each member with a bound (sizes can lie)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # a damaged XLSX: the reader refuses it as truncated
    with zf:
        infos = zf.infolist()
        if len(infos) > lim.max_xlsx_members:
            raise over_limit(name, f"buku kerja ini berisi {len(infos)} bagian, melebihi batas {lim.max_xlsx_members}",
                             "max_xlsx_members")
        cap = lim.max_xlsx_uncompressed_mb * 2**20
        total = sum(i.file_size for i in infos)
        if total > cap:
            raise over_limit(name, f"isi buku kerja ini setelah dibuka {_mb(total)}, melebihi batas {_mb(cap)}",
                             "max_xlsx_uncompressed_mb", _BOMB_TODO)
        for i in infos:
            _check_ratio(name, i.filename, i.file_size, i.compress_size, lim)
        seen = 0
        for i in infos:
            seen += _inflate_bounded(zf, i, name, cap - seen, lim)


_BOMB_TODO = ("Berkas ini bukan ekspor yang wajar (kemungkinan bom ZIP). Ekspor ulang dari aplikasinya, atau naikkan "
              "batas itu bila berkasnya memang sebesar itu")


def _check_ratio(name: str, member: str, size: int, packed: int, lim: ReadLimits) -> None:
    if size > 1 << 20 and size > lim.max_xlsx_ratio * max(packed, 1):
        raise over_limit(
            name, f"bagian {shown_name(member)[:60]} dimampatkan {fmt.number(size / max(packed, 1))} kali "
            f"({_mb(packed)} menjadi {_mb(size)}), melebihi batas {fmt.number(lim.max_xlsx_ratio)} kali",
            "max_xlsx_ratio", _BOMB_TODO)


def _inflate_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: float, lim: ReadLimits) -> int:
    n = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                n += len(chunk)
                if n > budget:
                    raise over_limit(name, "isi buku kerja ini setelah dibuka melebihi batas "
                                     f"{_mb(lim.max_xlsx_uncompressed_mb * 2**20)}", "max_xlsx_uncompressed_mb",
                                     _BOMB_TODO)
                if n > 1 << 20 and n > lim.max_xlsx_ratio * max(info.compress_size, 1):
                    _check_ratio(name, info.filename, n, info.compress_size, lim)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise _damaged(name, exc) from exc
    return n


def _damaged(name: str, exc: Exception) -> FileRefused:
    return refuse(name, "unreadable", f"berkas Excel rusak atau terpotong dan tidak dapat dibaca ({str(exc)[:100]})",
                  "Buka berkas itu di Excel untuk memeriksanya, simpan ulang sebagai XLSX, atau unduh ulang ekspornya")


def check_grid(name: str, sheet: str | None, height: int, width: int, max_chars: int, lim: ReadLimits) -> None:
    """A parsed sheet (or JSON table): rows, columns, longest cell."""
    where = f"lembar {shown_name(sheet)}: " if sheet else ""
    if height > lim.max_rows:
        raise over_limit(name, f"{where}{height} baris, melebihi batas {lim.max_rows}", "max_rows")
    if width > lim.max_columns:
        raise over_limit(name, f"{where}{width} kolom, melebihi batas {lim.max_columns}", "max_columns")
    if max_chars > lim.max_cell_chars:
        raise over_limit(name, f"{where}sebuah sel berisi {max_chars} karakter, melebihi batas {lim.max_cell_chars}",
                         "max_cell_chars")


# ---------------------------------------------------------------- CSV
@dataclass
class CsvShape:
    """Per record (0-based): the number of fields up to the last non-empty one."""

    filled: array  # array('I')
    fields: array  # array('I'): every field, empty ones too

    def surplus(self, header_index: int) -> dict[int, int]:
        """Records after the header with non-empty values beyond the header's width: index -> width."""
        if header_index >= len(self.fields):
            return {}
        width = self.fields[header_index]
        return {i: self.filled[i] for i in range(header_index + 1, len(self.filled)) if self.filled[i] > width}


def scan_csv(name: str, text: str, delimiter: str, lim: ReadLimits) -> CsvShape:
    """One pass of Python's csv reader: records, fields per record, cell length, all bounded."""
    filled, nfields = array("I"), array("I")
    old = csv.field_size_limit()
    csv.field_size_limit(lim.max_cell_chars)
    i = 0
    try:
        for i, rec in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):  # noqa: B007
            n = len(rec)
            if n > lim.max_fields_per_row:
                raise over_limit(name, f"baris {i + 1} berisi {n} kolom, melebihi batas {lim.max_fields_per_row}",
                                 "max_fields_per_row", "Periksa pemisah kolom dan tanda kutip di baris itu, lalu "
                                 "simpan ulang sebagai CSV dari Excel")
            last = n
            while last and not rec[last - 1].strip():
                last -= 1
            filled.append(last)
            nfields.append(n)
            if i >= lim.max_rows:
                raise over_limit(name, f"lebih dari {lim.max_rows} baris", "max_rows")
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise over_limit(name, f"baris {i + 2 if nfields else 1} berisi sel lebih dari {lim.max_cell_chars} "
                             "karakter (atau tanda kutip yang tidak ditutup)", "max_cell_chars",
                             "Periksa tanda kutip di baris itu, lalu simpan ulang sebagai CSV dari Excel") from exc
        raise refuse(name, "unreadable", f"baris CSV tidak dapat dipisahkan ({exc})",
                     "Simpan ulang sebagai CSV UTF-8 dari Excel") from exc
    finally:
        csv.field_size_limit(old)
    return CsvShape(filled, nfields)


def surplus_values(text: str, delimiter: str, records: dict[int, int], width: int) -> dict[int, str]:
    """What the surplus fields of ``records`` say (a short quote), record index -> text."""
    out: dict[int, str] = {}
    if not records:
        return out
    last = max(records)
    for i, rec in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
        if i in records:
            extra = [v for v in rec[width:] if v.strip()]
            shown = "; ".join(v.strip()[:30] for v in extra[:3]) + (" ..." if len(extra) > 3 else "")
            out[i] = f"{len(rec)} kolom, judul {width} kolom; nilai lebih: {shown}"
        if i >= last:
            break
    return out


# ---------------------------------------------------------------- JSON
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def check_json_depth(name: str, data: bytes, lim: ReadLimits) -> None:
    """Refuse a JSON nested deeper than ``max_json_depth`` (before the parser recurses into it)."""
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKET)
    depth = 0
    for b in brackets:
        if b in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > lim.max_json_depth:
                raise over_limit(name, f"JSON bersarang lebih dari {lim.max_json_depth} tingkat", "max_json_depth",
                                 "Ekspor laporan Open311 berbentuk daftar objek yang datar; unduh ulang ekspornya")
        else:
            depth -= 1


def check_json_records(name: str, records: list, lim: ReadLimits) -> None:
    if len(records) > lim.max_rows:
        raise over_limit(name, f"{len(records)} laporan, melebihi batas {lim.max_rows}", "max_rows")
    for i, r in enumerate(records):
        if isinstance(r, dict) and len(r) > lim.max_fields_per_row:
            raise over_limit(name, f"laporan ke-{i + 1} berisi {len(r)} kunci, melebihi batas "
                             f"{lim.max_fields_per_row}", "max_fields_per_row")


# ---------------------------------------------------------------- hooks called by the readers
def checked_bytes(name: str, data: bytes, lim: ReadLimits) -> bytes:
    check_size(name, len(data), lim)
    return data


def check_frame(name: str, sheet: str | None, df, lim: ReadLimits) -> None:
    """A parsed sheet (string columns): rows, columns, longest cell."""
    longest = 0
    if df.width and df.height:
        longest = df.select(pl.max_horizontal(pl.all().cast(pl.String).str.len_chars().max())).item() or 0
    check_grid(name, sheet, df.height, df.width, int(longest), lim)


def scan_csv_bytes(name: str, utf8: bytes, delimiter: str, lim: ReadLimits | None) -> CsvShape:
    return scan_csv(name, utf8.decode("utf-8", errors="replace"), delimiter, lim or ReadLimits())


SURPLUS = "__surplus"


def mark_surplus(df, info, header_index: int, row_col: str):
    """Add ``__surplus`` (what the surplus fields said, else null) to a CSV body read from ``header_index``:
    values beyond the header's width are a finding, never dropped silently."""
    shape: CsvShape | None = getattr(info, "_shape", None)
    extra = shape.surplus(header_index) if shape is not None else {}
    if not extra:
        return df.with_columns(pl.lit(None, dtype=pl.String).alias(SURPLUS))
    text = info._utf8.decode("utf-8", errors="replace")
    said = surplus_values(text, info.delimiter or ",", extra, shape.fields[header_index])
    m = pl.DataFrame({row_col: [i + 1 for i in said], SURPLUS: list(said.values())},
                     schema={row_col: pl.Int64, SURPLUS: pl.String})
    return df.join(m, on=row_col, how="left")
