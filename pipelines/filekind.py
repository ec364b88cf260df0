"""Is a file what its extension says? A look at its first bytes, so a text file renamed .xlsx is named
as such ("bukan berkas Excel yang valid: isinya teks biasa") instead of being explained as a header-row
problem further down the pipeline."""

from __future__ import annotations

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)
EXPECTED = {".xlsx": "berkas Excel (.xlsx)", ".xls": "berkas Excel (.xls)", ".json": "berkas JSON",
            ".csv": "berkas CSV"}


def what_it_is(head: bytes) -> str:
    """A plain description of the content from its first bytes."""
    if head.startswith(ZIP):
        return "arsip ZIP (bukan lembar kerja Excel)"
    if head.startswith(OLE):
        return "dokumen Office lama (format 97-2003)"
    if head.startswith(b"%PDF"):
        return "dokumen PDF"
    if head[:3] in (b"\xff\xd8\xff",) or head.startswith(b"\x89PNG"):
        return "gambar"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<html", b"<!doctype html", b"<table")):
        return "halaman HTML"
    if b"\x00" in head[:1024]:
        return "data biner yang tidak dikenal"
    return "teks biasa"


def mismatch(name: str, head: bytes) -> str | None:
    """None when the first bytes fit the extension; else what to tell the user, e.g.
    'bukan berkas Excel yang valid: isinya teks biasa'."""
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == ".xlsx":
        ok = head.startswith(ZIP)
    elif ext == ".xls":
        # SP4N-LAPOR! and other systems often save HTML tables or text as .xls: those are read as such
        ok = head.startswith(OLE) or what_it_is(head) in ("halaman HTML", "teks biasa")
    elif ext == ".json":
        ok = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")
    elif ext == ".csv":
        ok = what_it_is(head) == "teks biasa"
    else:
        return None
    if ok:
        return None
    kind = "Excel" if ext in (".xlsx", ".xls") else ext[1:].upper()
    return f"bukan berkas {kind} yang valid: isinya {what_it_is(head)}"
