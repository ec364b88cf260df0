"""Upload feedback: a file that is not what its extension says is named as such; after a build, what
changed is counted against the warehouse as it was (hand-made warehouses of four complaints)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import duckdb
import pytest

from dashboard.components import upload_feedback
from pipelines.filekind import mismatch


@pytest.mark.parametrize(("name", "head", "expected"), [
    ("rekap.xlsx", b"ID;Tanggal;Status\n1;2026-01-02;Selesai\n", "bukan berkas Excel yang valid: isinya teks biasa"),
    ("rekap.xlsx", b"PK\x03\x04\x14\x00", None),
    ("lapor.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None),
    ("lapor.xls", b"<html><body><table>", None),  # LAPOR!'s HTML table saved as .xls is read as such
    ("lapor.xlsx", b"%PDF-1.7", "bukan berkas Excel yang valid: isinya dokumen PDF"),
    ("data.csv", b"\x89PNG\r\n", "bukan berkas CSV yang valid: isinya gambar"),
    ("open311.json", b"\xef\xbb\xbf[{\"service_request_id\": 1}]", None),
    ("open311.json", b"service_request_id,status", "bukan berkas JSON yang valid: isinya teks biasa"),
])
def test_content_against_extension(name, head, expected):
    assert mismatch(name, head) == expected


def _warehouse(path, rows, as_of):
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE complaints (complaint_key VARCHAR, status VARCHAR)")
    con.executemany("INSERT INTO complaints VALUES (?, ?)", rows)
    con.close()
    return SimpleNamespace(path=str(path), as_of=as_of, snapshot_id=path.stem)


def test_changes_counts_added_updated_and_removed(tmp_path):
    old = _warehouse(tmp_path / "old.duckdb", [("lapor:1", "proses"), ("lapor:2", "proses"), ("lapor:3", "selesai"),
                                               ("lapor:4", "proses")], dt.date(2026, 10, 31))
    before = {"snapshot_id": old.snapshot_id, "as_of": old.as_of,
              "statuses": {"lapor:1": "proses", "lapor:2": "proses", "lapor:3": "selesai", "lapor:4": "proses"}}
    new = _warehouse(tmp_path / "new.duckdb", [("lapor:1", "selesai"), ("lapor:2", "proses"), ("lapor:3", "selesai"),
                                               ("lapor:5", "baru"), ("lapor:6", "baru")], dt.date(2026, 11, 30))
    c = upload_feedback.changes(before, new)
    assert (c["added"], c["updated"], c["removed"]) == (2, 1, 1)
    assert c["as_of"] == dt.date(2026, 11, 30) and c["as_of_before"] == dt.date(2026, 10, 31)
    assert not c["same_snapshot"]


def test_file_hash_is_the_warehouse_hash():
    # input_files.file_hash: the first 16 hex digits of SHA-256 (the demo manifest's sha256 starts with it)
    assert upload_feedback.file_hash(b"abc") == "ba7816bf8f01cfea"
