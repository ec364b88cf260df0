"""Generators of hostile input files for the tests (small on disk, built in well under a second each).

``zip_bomb`` writes an XLSX whose sheet XML inflates to about 1,1 GB from about 2 MB: the deflate stream
of one 1 MiB chunk, flushed with Z_FULL_FLUSH (which resets the compressor, so the compressed bytes of
every repetition are identical), is repeated; only the CRC runs over the whole declared length.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

LAPOR_COLS = [
    "Tracking ID", "Tanggal Laporan", "Judul", "Isi Laporan", "Klasifikasi", "Kategori", "Kanal", "Disposisi",
    "Status", "Tanggal Verifikasi", "Tanggal Disposisi", "Tanggal Tindak Lanjut", "Tanggal Selesai", "Tanggal Arsip",
    "Kecamatan", "Kelurahan", "Anonim", "Rating",
]
GOOD = {
    "Tanggal Laporan": "05/01/2025 09:00", "Judul": "Lampu mati", "Isi Laporan": "Lampu jalan mati",
    "Klasifikasi": "Pengaduan", "Kategori": "Perhubungan", "Kanal": "Website", "Disposisi": "Dishub",
    "Status": "Selesai", "Tanggal Verifikasi": "05/01/2025 10:00", "Tanggal Disposisi": "06/01/2025 08:00",
    "Tanggal Tindak Lanjut": "07/01/2025 11:00", "Tanggal Selesai": "08/01/2025 12:00", "Tanggal Arsip": "",
    "Kecamatan": "Kepanjenkidul", "Kelurahan": "Sentul", "Anonim": "Tidak", "Rating": "4",
}


def lapor_csv(path: Path, rows: list[dict[str, str]], *, extra: dict[int, str] | None = None) -> Path:
    """A LAPOR! CSV (';'); ``extra``: row index -> text appended after the last field (surplus fields)."""
    lines = [";".join(LAPOR_COLS)]
    for i, r in enumerate(rows):
        line = ";".join({**GOOD, **r}.get(c, "") for c in LAPOR_COLS)
        if extra and i in extra:
            line += ";" + extra[i]
        lines.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- CRC-32 of a long repetition, without reading it
def _times(mat: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def _square(mat: list[int]) -> list[int]:
    return [_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _square(odd)
    odd = _square(even)
    while True:
        even = _square(odd)
        if len2 & 1:
            crc1 = _times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _square(even)
        if len2 & 1:
            crc1 = _times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _crc_repeat(crc: int, length: int, times: int) -> int:
    """CRC-32 of a block (crc, length) repeated ``times`` times."""
    out, out_len, blk, blk_len = None, 0, crc, length
    while times:
        if times & 1:
            out = blk if out is None else crc32_combine(out, blk, blk_len)
            out_len += blk_len
        times >>= 1
        if times:
            blk, blk_len = crc32_combine(blk, blk, blk_len), blk_len * 2
    return out if out is not None else 0


# ---------------------------------------------------------------- a ZIP written by hand
def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class _Zip:
    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.central: list[bytes] = []
        self.offset = 0

    def add(self, name: str, packed: bytes, crc: int, size: int, *, declared: int | None = None) -> None:
        n = name.encode()
        size_field = size if declared is None else declared
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(packed), size_field, len(n), 0)
        self.central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(packed),
                                        size_field, len(n), 0, 0, 0, 0, 0, self.offset) + n)
        blob = local + n + packed
        self.parts.append(blob)
        self.offset += len(blob)

    def add_bytes(self, name: str, data: bytes) -> None:
        self.add(name, _deflate(data), zlib.crc32(data), len(data))

    def write(self, path: Path) -> Path:
        cd = b"".join(self.central)
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(self.central), len(self.central), len(cd), self.offset, 0)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"".join(self.parts) + cd + end)
        return path


_CT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/'
       b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
       b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       b'spreadsheetml.worksheet+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
       b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
       b'name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def zip_bomb(path: Path, *, inflated_mb: int = 1100, lie_about_size: bool = False) -> Path:
    """An XLSX whose sheet inflates to ``inflated_mb`` MiB (or which declares a tiny size for it)."""
    row = b'<row><c t="inlineStr"><is><t>Lampu jalan mati di depan rumah</t></is></c></row>'
    chunk = row * ((1 << 20) // len(row))
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/' \
           b'spreadsheetml/2006/main"><sheetData>'
    tail = b"</sheetData></worksheet>"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush()
    crc = _crc_repeat(zlib.crc32(chunk), len(chunk), inflated_mb)
    crc = crc32_combine(zlib.crc32(head), crc, len(chunk) * inflated_mb)
    crc = crc32_combine(crc, zlib.crc32(tail), len(tail))
    size = len(head) + len(chunk) * inflated_mb + len(tail)
    z = _Zip()
    z.add_bytes("[Content_Types].xml", _CT)
    z.add_bytes("_rels/.rels", _RELS)
    z.add_bytes("xl/workbook.xml", _WB)
    z.add_bytes("xl/_rels/workbook.xml.rels", _WB_RELS)
    z.add("xl/worksheets/sheet1.xml", first + block * inflated_mb + last, crc, size,
          declared=4096 if lie_about_size else None)
    return z.write(path)


def small_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A real (tiny) XLSX with openpyxl."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
