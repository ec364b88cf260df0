"""Readers: turn a CSV, XLSX/XLS or JSON file into raw string grids.

A grid is a polars DataFrame of string columns ``c0..cN`` plus ``__row``: the
1-based row number as a spreadsheet shows it (CSV: the record number, so a
quoted field with line breaks is still one row; JSON: the element index).
Nothing here knows about profiles; header detection is in ``detect``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.ingest import limits as bounds
from pipelines.ingest.errors import FileRefused, refuse

ROW = "__row"
SAMPLE_ROWS = 40
_DELIMS = (",", ";", "\t", "|")


def _latin1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    # Windows-1252 leaves five bytes undefined; read them as Latin-1 instead of failing.
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("monev_latin1", _latin1_fallback)


@dataclass
class Grid:
    """One sheet (or the whole CSV/JSON) as strings."""

    sheet: str | None
    df: pl.DataFrame  # columns c0..cN (String) and __row (Int64)
    # For CSV the grid starts at the header record (rows above it are only in
    # ``head``); for XLSX/JSON it holds the whole sheet.
    head: list[list[str]] = field(default_factory=list)  # first rows, for header detection
    head_rows: list[int] = field(default_factory=list)  # their 1-based row numbers
    header_from_keys: bool = False  # JSON: the header is the object keys (no header row)


@dataclass
class FileInfo:
    kind: str  # csv | xlsx | xls | json
    encoding: str | None = None
    delimiter: str | None = None
    grids: list[Grid] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader did that the operator should know


def title_block(rows: list[list[str]]) -> dict[str, str]:
    """The label/value pairs of a title block above the header, as SP4N-LAPOR!'s
    "Laporan Ringkas" writes it (``Nama Instansi | | Pemerintah Kabupaten X``,
    ``Tanggal Generate | | 2025-11-14``, ``Pengelola | |``): the first non-empty
    cell of a row is the label, the next non-empty cells (joined) its value, ''
    when there is none. Rows of one cell that read as a sentence (a merged title
    such as "DAFTAR LAPORAN ...") are not pairs and are left out; blank rows too.

    This is the one place the title-block metadata of a file is read: the staged
    file keeps it as ``StagedFile.title_block`` (label as written -> value)."""
    out: dict[str, str] = {}
    for row in rows:
        cells = [(c or "").strip() for c in row]
        filled = [i for i, c in enumerate(cells) if c]
        if not filled:
            continue
        first = filled[0]
        label = cells[first].rstrip(":").strip()
        rest = [cells[i] for i in filled[1:]]
        if not rest and (len(label) > 40 or first + 1 >= len(cells)):
            continue  # a merged title line, not a label with an empty value
        if len(label) > 60:
            continue
        out.setdefault(label, " ".join(r.lstrip(": ").strip() for r in rest).strip())
    return out


# ---------------------------------------------------------------- sniffing
def sniff_kind(data: bytes, file_name: str) -> str:
    """The file's real format from its first bytes (never trust the extension)."""
    head = data[:8]
    if not data.strip():
        return "empty"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "json"
    sample = data[:4096]
    if b"\x00" in sample and not (sample.startswith(b"\xff\xfe") or sample.startswith(b"\xfe\xff")):
        return "binary"
    return "csv"


def detect_encoding(data: bytes) -> str:
    """utf-8-sig (BOM), utf-16 (BOM), utf-8, else Windows-1252 (Excel on Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    dec = codecs.getincrementaldecoder("utf-8")()
    try:
        step = 1 << 20
        for i in range(0, len(data), step):
            dec.decode(data[i : i + step], final=i + step >= len(data))
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def to_utf8(data: bytes, encoding: str) -> bytes:
    if encoding == "utf-8":
        return data
    if encoding == "utf-8-sig":
        return data[3:]
    if encoding == "cp1252":
        return data.decode("cp1252", errors="monev_latin1").encode("utf-8")
    return data.decode(encoding).encode("utf-8")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the sample into the most consistent multi-field records."""
    best, best_score = ",", (-1, -1)
    for d in _DELIMS:
        try:
            recs = list(_records(text, d, SAMPLE_ROWS))
        except csv.Error:
            continue
        counts = [len([c for c in r]) for r in recs if len(r) > 1]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) * (mode > 1), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def _records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    out = []
    for i, rec in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
        if i >= limit:
            break
        out.append(rec)
    return out


# ---------------------------------------------------------------- readers
def read_file(path: Path, data: bytes | None = None, limits: bounds.ReadLimits | None = None) -> FileInfo:
    """Read any supported file into grids; raise FileRefused if it is not readable or over a limit."""
    name = path.name
    lim = limits or bounds.ReadLimits()
    data = bounds.read_bounded(path, lim) if data is None else bounds.checked_bytes(name, data, lim)
    kind = sniff_kind(data, name)
    if kind == "empty":
        raise refuse(name, "empty", "berkas kosong (0 baris)", "Ekspor ulang data dari sumbernya lalu simpan kembali berkasnya")
    if kind == "pdf":
        raise refuse(
            name,
            "pdf",
            "isinya dokumen PDF, bukan ekspor data (CSV/XLSX/JSON), walaupun namanya berakhiran " + (path.suffix or "-"),
            "Unduh ekspor dalam format Excel (XLSX) atau CSV dari aplikasinya, bukan laporan cetak/PDF",
        )
    if kind == "binary":
        raise refuse(
            name,
            "binary",
            "isinya bukan teks CSV, Excel, atau JSON",
            "Simpan ulang berkas sebagai XLSX atau CSV (Excel: File > Save As) lalu unggah lagi",
        )
    if kind == "zip":
        if not _is_xlsx(data):
            raise refuse(
                name,
                "zip",
                "berkas ZIP ini bukan buku kerja Excel (XLSX)",
                "Ekstrak dulu isinya, lalu letakkan berkas XLSX/CSV di dalamnya",
            )
        bounds.check_zip(name, data, lim)
        return FileInfo("xlsx", grids=_read_excel(path, data, "xlsx", lim))
    if kind == "xls":
        return FileInfo("xls", grids=_read_excel(path, data, "xls", lim))
    if kind == "json":
        grid, notes = _read_json(name, data, lim)
        return FileInfo("json", encoding="utf-8", grids=[grid], notes=notes)
    return _read_csv(name, data, lim)


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        # A truncated XLSX has a damaged central directory: still an Excel file, refused below.
        return b"xl/" in data[:4096] or b"[Content_Types].xml" in data[:4096]
    return any(n.startswith("xl/") for n in names)


def _truncated(name: str, detail: str) -> FileRefused:
    return refuse(
        name,
        "unreadable",
        f"berkas Excel rusak atau terpotong dan tidak dapat dibaca ({detail})",
        "Buka berkas itu di Excel untuk memeriksanya, simpan ulang sebagai XLSX, atau unduh ulang ekspornya",
    )


def _read_excel(path: Path, data: bytes, kind: str, lim: bounds.ReadLimits | None = None) -> list[Grid]:
    import fastexcel

    name = path.name
    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel raises its own error types for damaged files
        raise _truncated(name, str(exc).splitlines()[0][:120]) from exc
    grids: list[Grid] = []
    for sheet_name in reader.sheet_names:
        try:
            sheet = reader.load_sheet(sheet_name, header_row=None, skip_rows=0, dtypes="string")
            if sheet.visible != "visible":
                continue
            df = sheet.to_polars()
        except Exception as exc:
            raise _truncated(name, f"lembar {sheet_name}: {str(exc).splitlines()[0][:120]}") from exc
        if df.height == 0 or df.width == 0:
            continue
        bounds.check_frame(name, sheet_name, df, lim or bounds.ReadLimits())
        df = df.rename({c: f"c{i}" for i, c in enumerate(df.columns)}).with_columns(
            pl.all().cast(pl.String)
        )
        df = df.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
        head_df = df.head(SAMPLE_ROWS)
        head = [[("" if v is None else str(v)) for v in row[1:]] for row in head_df.iter_rows()]
        grids.append(Grid(sheet_name, df, head, head_df[ROW].to_list()))
    if not grids:
        raise refuse(
            name,
            "empty",
            "tidak ada lembar kerja berisi data di buku kerja ini",
            "Periksa bahwa data ada di lembar yang terlihat (tidak disembunyikan), lalu unggah lagi",
        )
    return grids


def _read_csv(name: str, data: bytes, lim: bounds.ReadLimits | None = None) -> FileInfo:
    encoding = detect_encoding(data)
    utf8 = to_utf8(data, encoding)
    # Sample for delimiter and header detection: whole records from the first 256 KiB.
    sample = utf8[: 1 << 18].decode("utf-8", errors="replace")
    if len(utf8) > len(sample.encode("utf-8", errors="replace")) and "\n" in sample:
        sample = sample[: sample.rfind("\n") + 1]
    delimiter = sniff_delimiter(sample)
    shape = bounds.scan_csv_bytes(name, utf8, delimiter, lim)
    try:
        head = _records(sample, delimiter, SAMPLE_ROWS)
    except csv.Error as exc:
        raise refuse(name, "unreadable", f"baris CSV tidak dapat dipisahkan ({exc})", "Simpan ulang sebagai CSV UTF-8 dari Excel") from exc
    if not head:
        raise refuse(name, "empty", "berkas tidak berisi baris data", "Ekspor ulang data dari sumbernya")
    grid = Grid(None, pl.DataFrame(), head, list(range(1, len(head) + 1)))
    info = FileInfo("csv", encoding=encoding, delimiter=delimiter, grids=[grid])
    info._utf8 = utf8  # type: ignore[attr-defined]  # kept for load_csv_body
    info._shape = shape  # type: ignore[attr-defined]  # fields per record, for surplus fields
    return info


def load_csv_body(info: FileInfo, name: str, header_index: int) -> pl.DataFrame:
    """Read the CSV from its header record on (0-based record index) as strings."""
    utf8: bytes = info._utf8  # type: ignore[attr-defined]
    try:
        df = pl.read_csv(
            utf8,
            has_header=False,
            separator=info.delimiter or ",",
            skip_rows=header_index,
            infer_schema=False,
            truncate_ragged_lines=True,
            empty_string_is_null=False,
            quote_char='"',
            raise_if_empty=False,
        )
    except Exception as exc:  # polars ComputeError for unbalanced quotes etc.
        raise refuse(
            name,
            "unreadable",
            f"isi CSV tidak dapat dibaca setelah baris judul kolom ({str(exc).splitlines()[0][:160]})",
            "Periksa tanda kutip yang tidak ditutup, lalu simpan ulang sebagai CSV dari Excel",
        ) from exc
    df = df.rename({c: f"c{i}" for i, c in enumerate(df.columns)})
    df = df.with_row_index(ROW, offset=header_index + 1).with_columns(pl.col(ROW).cast(pl.Int64))
    return bounds.mark_surplus(df, info, header_index, ROW)


class _RepeatedKeys:
    """json ``object_pairs_hook``: a key repeated in one object keeps its first
    non-empty value (a San Francisco Open311 feed writes ``"updated_datetime":
    "2010-..."`` and then ``"updated_datetime": null``); the keys are counted."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, pairs: list[tuple[str, object]]) -> dict:
        out: dict = {}
        for k, v in pairs:
            if k in out:
                self.seen[k] = self.seen.get(k, 0) + 1
                if out[k] in (None, "") and v not in (None, ""):
                    out[k] = v
                continue
            out[k] = v
        return out

    def note(self) -> str | None:
        if not self.seen:
            return None
        keys = ", ".join(f"\"{k}\" ({n} objek)" for k, n in sorted(self.seen.items()))
        return (
            f"Kunci ganda dalam satu objek JSON: {keys}; nilai pertama yang tidak kosong yang dipakai, "
            "nilai kosong sesudahnya diabaikan"
        )


def _read_json(name: str, data: bytes, lim: bounds.ReadLimits | None = None) -> tuple[Grid, list[str]]:
    lim = lim or bounds.ReadLimits()
    bounds.check_json_depth(name, data, lim)
    hook = _RepeatedKeys()
    try:
        obj = json.loads(data.decode("utf-8-sig"), object_pairs_hook=hook)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse(
            name,
            "unreadable",
            f"JSON tidak valid atau terpotong ({exc})",
            "Unduh ulang ekspornya; berkas JSON harus lengkap sampai tanda penutup terakhir",
        ) from exc
    records = obj
    if isinstance(obj, dict):
        lists = [v for v in obj.values() if isinstance(v, list)]
        records = lists[0] if len(lists) == 1 else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise refuse(
            name,
            "unreadable",
            "JSON ini bukan daftar laporan (diharapkan daftar objek, seperti GeoReport v2 requests.json)",
            "Periksa bahwa berkas berisi daftar permintaan layanan Open311",
        )
    if not records:
        raise refuse(name, "empty", "daftar laporan di JSON kosong", "Ekspor ulang data dari sumbernya")
    bounds.check_json_records(name, records, lim)
    try:
        raw = pl.from_dicts(records, infer_schema_length=None)
    except Exception as exc:  # wildly inconsistent objects
        raise refuse(
            name, "unreadable", f"objek di dalam JSON tidak seragam ({str(exc).splitlines()[0][:120]})",
            "Periksa bahwa setiap laporan memakai kunci yang sama",
        ) from exc
    cols = raw.columns
    df = raw.select([_as_string(raw[c]).alias(f"c{i}") for i, c in enumerate(cols)])
    bounds.check_frame(name, None, df, lim)
    df = df.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    return Grid(None, df, [cols], [0], header_from_keys=True), [n for n in (hook.note(),) if n]


def _as_string(s: pl.Series) -> pl.Series:
    """Any JSON-derived column as strings (nested values as JSON text)."""
    if s.dtype == pl.String:
        return s
    if s.dtype == pl.Boolean:
        return s.cast(pl.String).str.to_lowercase()
    if isinstance(s.dtype, pl.Struct):
        return s.struct.json_encode()
    if isinstance(s.dtype, (pl.List, pl.Array)):
        return pl.Series(s.name, [None if v is None else json.dumps(v, ensure_ascii=False) for v in s.to_list()], pl.String)
    return s.cast(pl.String)
