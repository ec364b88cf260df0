"""The evidence register (bukti dukung) for the rating.

Records live in the app-state store (``pipelines.state``); files are stored under
``<data-dir>/evidence/`` named by their sha256, never by the name a user gave, so a
hostile file name cannot reach outside that folder. The pipeline copies the
records into the warehouse (``copy_evidence_to_warehouse``) and the rating reads
them from there (``load_evidence``), so a published snapshot is reproducible.

Verification states: ``diajukan`` (submitted) → ``diverifikasi`` (verified) or
``ditolak`` (rejected, with a reason). Only verified records count in the rating.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipelines import fmt
from pipelines.capabilities import require
from pipelines.ingest.pii import redact_text
from pipelines.rating.model import EVIDENCE_TYPES, Indicator, RatingModel, evidence_type_of, load_model
from pipelines.settings import Paths
from pipelines.state import now_local, open_state, state_path, transaction

STATUSES = ("diajukan", "diverifikasi", "ditolak")
MAX_FILE_BYTES = 25 * 1024 * 1024

# Accepted file kinds and the bytes they start with (a PDF renamed .xlsx is refused).
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
FILE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "odt": (_ZIP,),
    "ods": (_ZIP,),
    "doc": (_OLE,),
    "xls": (_OLE,),
}
_FILE_REF_RE = re.compile(r"^[0-9a-f]{64}\.[a-z0-9]{1,5}$")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

EVIDENCE_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS evidence (
    evidence_id     INTEGER PRIMARY KEY,   -- id in the app-state store
    indicator_id    VARCHAR NOT NULL,      -- rating model indicator
    year            INTEGER NOT NULL,      -- evaluation year the document is submitted for
    title           VARCHAR NOT NULL,
    doc_type        VARCHAR NOT NULL,
    doc_date        DATE NOT NULL,
    file_name       VARCHAR NOT NULL,      -- sanitised original name
    file_ref        VARCHAR NOT NULL,      -- <sha256>.<ext> under <data-dir>/evidence
    sha256          VARCHAR NOT NULL,
    size_bytes      BIGINT NOT NULL,
    file_ok         BOOLEAN NOT NULL,      -- the file was present with this hash when the build ran
    recorded_at     TIMESTAMP NOT NULL,
    status          VARCHAR NOT NULL,      -- diajukan | diverifikasi | ditolak
    status_reason   VARCHAR,
    status_at       TIMESTAMP
)
"""
_WH_COLS = (
    "evidence_id", "indicator_id", "year", "title", "doc_type", "doc_date", "file_name", "file_ref", "sha256",
    "size_bytes", "file_ok", "recorded_at", "status", "status_reason", "status_at",
)
NO_EVIDENCE_TABLE_NOTE = (
    "Gudang data ini dibangun sebelum ada register bukti dukung, sehingga tidak ada bukti dukung yang terbaca "
    "dan penilaian menjadi 'Tidak dinilai'. Jalankan `monev run` untuk membangun ulang gudang data beserta "
    "bukti dukungnya."
)


class EvidenceError(ValueError):
    """Bad evidence input; the message (Bahasa Indonesia) says what to fix."""


@dataclass(frozen=True)
class EvidenceRecord:
    evidence_id: int
    indicator_id: str
    year: int
    title: str
    doc_type: str
    doc_date: dt.date
    file_name: str
    file_ref: str
    sha256: str
    size_bytes: int
    status: str
    recorded_at: str
    recorded_by: str | None = None  # only in the state store (not copied to the warehouse)
    status_reason: str | None = None
    status_by: str | None = None
    status_at: str | None = None
    note: str | None = None
    file_ok: bool = True

    @property
    def label(self) -> str:
        return f"BD-{self.evidence_id:04d}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["doc_date"] = self.doc_date.isoformat()
        d["label"] = self.label
        return d


# ----------------------------------------------------------------- files


def sanitize_filename(name: object, default: str = "berkas") -> str:
    """A safe display name: no directories, no control characters, no leading dots, ≤ 120 chars."""
    s = unicodedata.normalize("NFKC", str(name or ""))
    s = s.replace("\\", "/").split("/")[-1]
    s = "".join(" " if ch.isspace() else ch for ch in s if ch.isprintable() or ch.isspace())
    s = re.sub(r"[^\w.\- ()]+", "_", s)
    s = re.sub(r"\.{2,}", ".", s)
    stem, dot, ext = s.rpartition(".")
    if not dot:
        stem, ext = s, ""
    stem = re.sub(r"\s+", " ", stem).strip(" ._")
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)
    if stem.upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    if not stem:
        stem = default
    ext = ext[:10]
    stem = stem[: 120 - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


def _extension(file_name: str) -> str:
    _, dot, ext = file_name.rpartition(".")
    return ext.lower() if dot else ""


def check_file(content: bytes, file_name: str) -> str:
    """Check size, extension and signature; return the (lower-case) extension."""
    ext = _extension(file_name)
    if ext not in FILE_SIGNATURES:
        raise EvidenceError(
            f"Berkas '{file_name}' tidak dapat diterima: jenis '.{ext or '?'}' tidak didukung. Unggah PDF, gambar "
            f"(JPG/PNG) atau dokumen kantor ({', '.join('.' + e for e in FILE_SIGNATURES)})."
        )
    if not content:
        raise EvidenceError(f"Berkas '{file_name}' kosong (0 bait). Unggah dokumen yang berisi.")
    if len(content) > MAX_FILE_BYTES:
        raise EvidenceError(
            f"Berkas '{file_name}' terlalu besar ({fmt.number(len(content) / 1048576, 1)} MB); batasnya "
            f"{MAX_FILE_BYTES // 1048576} MB. Perkecil atau pisahkan dokumennya."
        )
    if not any(content.startswith(sig) for sig in FILE_SIGNATURES[ext]):
        raise EvidenceError(
            f"Isi berkas '{file_name}' tidak sesuai dengan jenisnya (.{ext}); mungkin berkas lain yang diganti namanya. "
            "Unggah dokumen aslinya."
        )
    return ext


def store_file(paths: Paths, content: bytes, file_name: str) -> tuple[str, str]:
    """Store ``content`` as ``<evidence_dir>/<sha256>.<ext>`` (once per content); return (file_ref, sha256)."""
    ext = check_file(content, file_name)
    digest = hashlib.sha256(content).hexdigest()
    ref = f"{digest}.{ext}"
    d = paths.evidence_dir
    d.mkdir(parents=True, exist_ok=True)
    target = d / ref
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return ref, digest


def evidence_file_path(paths: Paths, record: EvidenceRecord) -> Path:
    """The stored file of a record (checked to lie inside the evidence folder)."""
    if not _FILE_REF_RE.match(record.file_ref):
        raise EvidenceError(f"Rujukan berkas {record.file_ref!r} tidak sah.")
    return paths.evidence_dir / record.file_ref


def file_intact(paths: Paths, record: EvidenceRecord) -> bool:
    """True when the stored file exists and still has the recorded hash."""
    try:
        p = evidence_file_path(paths, record)
    except EvidenceError:
        return False
    if not p.is_file():
        return False
    h = hashlib.sha256()
    with p.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest() == record.sha256


# ----------------------------------------------------------------- register API


def _parse_date(raw: object, what: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    s = str(raw or "").strip()
    for f in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(s, f).date()
        except ValueError:
            continue
    raise EvidenceError(f"{what} '{s}' tidak dapat dibaca. Tulis tanggal sebagai TTTT-BB-HH (mis. 2025-03-14) "
                        "atau HH/BB/TTTT (14/03/2025).")


def _redact(text: str) -> str:
    """Phone numbers, e-mail addresses and NIK in free text become [telepon]/[email]/[NIK]
    (the same patterns as complaint texts), so they never reach the warehouse or a screen."""

    return redact_text(text) or ""


def _clean_text(raw: object, what: str, max_len: int, *, redact: bool = False) -> str:
    s = " ".join("".join(ch if ch.isprintable() else " " for ch in str(raw or "")).split())
    if redact:
        s = _redact(s)
    if not s:
        raise EvidenceError(f"{what} wajib diisi.")
    if len(s) > max_len:
        raise EvidenceError(f"{what} terlalu panjang ({len(s)} karakter); paling banyak {max_len}.")
    return s


def _row_to_record(r: sqlite3.Row | dict) -> EvidenceRecord:
    d = dict(r)
    return EvidenceRecord(
        evidence_id=int(d["evidence_id"]),
        indicator_id=d["indicator_id"],
        year=int(d["year"]),
        title=d["title"],
        doc_type=d["doc_type"],
        doc_date=_parse_date(d["doc_date"], "Tanggal dokumen"),
        file_name=d["file_name"],
        file_ref=d["file_ref"],
        sha256=d["sha256"],
        size_bytes=int(d["size_bytes"]),
        status=d["status"],
        recorded_at=str(d["recorded_at"]),
        recorded_by=d.get("recorded_by"),
        status_reason=d.get("status_reason"),
        status_by=d.get("status_by"),
        status_at=None if d.get("status_at") is None else str(d["status_at"]),
        note=d.get("note"),
        file_ok=bool(d.get("file_ok", True)),
    )


def add_evidence(
    paths: Paths,
    *,
    indicator_id: str,
    year: int,
    doc_type: str,
    title: str,
    doc_date: dt.date | str,
    recorded_by: str,
    file: str | os.PathLike | None = None,
    content: bytes | None = None,
    file_name: str | None = None,
    note: str | None = None,
    model: RatingModel | None = None,
    recorded_at: str | None = None,
    actor: Any = None,
) -> EvidenceRecord:
    """Record a document for an evidence indicator and year (state: diajukan).

    Give either ``file`` (a path) or ``content`` with ``file_name`` (an upload). ``actor``: who asks
    (the dashboard's viewer; None = the command-line operator); refused without ``record_evidence``.
    """
    require(actor, "record_evidence")
    model = model or load_model(config_dir=paths.config_dir)
    ind = _evidence_indicator(model, indicator_id)
    assert ind.evidence is not None
    try:
        year_i = int(year)
    except (TypeError, ValueError):
        raise EvidenceError(f"Tahun '{year}' tidak sah; tulis empat angka, mis. 2025.") from None
    if not 2000 <= year_i <= 2100:
        raise EvidenceError(f"Tahun {year_i} di luar rentang yang masuk akal (2000–2100).")
    dtype = evidence_type_of(doc_type)
    if dtype is None:
        raise EvidenceError(f"Jenis dokumen '{doc_type}' tidak dikenal. Pilih salah satu: {', '.join(EVIDENCE_TYPES)}.")
    if dtype not in ind.evidence.types:
        raise EvidenceError(
            f"Jenis '{dtype}' tidak dihitung untuk indikator '{ind.id}' ({ind.label}). Jenis yang diterima: "
            f"{', '.join(ind.evidence.types)}."
        )
    ddate = _parse_date(doc_date, "Tanggal dokumen")
    if ddate.year > year_i:
        raise EvidenceError(
            f"Tanggal dokumen {fmt.date_long(ddate)} sesudah tahun penilaian {year_i}; dokumen itu tidak dapat menjadi "
            f"bukti untuk {year_i}. Periksa tanggal atau tahunnya."
        )
    title_c = _clean_text(title, "Judul dokumen", 300, redact=True)
    by = _clean_text(recorded_by, "Nama pencatat", 120)
    if file is not None:
        fp = Path(file)
        if not fp.is_file():
            raise EvidenceError(f"Berkas {fp} tidak ditemukan. Periksa jalurnya.")
        if fp.stat().st_size > MAX_FILE_BYTES:
            check_file(b"x" * (MAX_FILE_BYTES + 1), fp.name)  # raises the size message
        content = fp.read_bytes()
        file_name = file_name or fp.name
    if content is None:
        raise EvidenceError("Bukti dukung wajib disertai berkas dokumennya (PDF, gambar atau dokumen kantor).")
    shown = sanitize_filename(file_name or "dokumen")
    ref, digest = store_file(paths, content, shown)
    with open_state(paths) as con, transaction(con):
        cur = con.execute(
            "INSERT INTO evidence (indicator_id, year, title, doc_type, doc_date, file_name, file_ref, sha256, "
            "size_bytes, recorded_by, recorded_at, status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'diajukan', ?)",
            [ind.id, year_i, title_c, dtype, ddate.isoformat(), shown, ref, digest, len(content), by,
             recorded_at or now_local(), _redact(" ".join(str(note).split())) if note and note.strip() else None],
        )
        new_id = cur.lastrowid
    return get_evidence(paths, int(new_id))


def _evidence_indicator(model: RatingModel, indicator_id: str) -> Indicator:
    for ind in model.evidence_indicators:
        if ind.id == indicator_id:
            return ind
    choices = "; ".join(f"{i.id} ({i.label})" for i in model.evidence_indicators)
    raise EvidenceError(f"Indikator '{indicator_id}' bukan indikator bukti dukung di model penilaian. Pilih: {choices}.")


def get_evidence(paths: Paths, evidence_id: int) -> EvidenceRecord:
    with open_state(paths) as con:
        r = con.execute("SELECT * FROM evidence WHERE evidence_id = ?", [int(evidence_id)]).fetchone()
    if r is None:
        raise EvidenceError(f"Bukti dukung dengan id {evidence_id} tidak ada. Lihat daftarnya dengan `monev evidence list`.")
    return _row_to_record(r)


def list_evidence(
    paths: Paths, *, year: int | None = None, indicator_id: str | None = None, status: str | None = None
) -> list[EvidenceRecord]:
    """Evidence records from the state store, oldest first (empty if the store does not exist yet)."""

    if not state_path(paths).exists():
        return []
    sql = "SELECT * FROM evidence WHERE 1 = 1"
    params: list[Any] = []
    if year is not None:
        sql += " AND year = ?"
        params.append(int(year))
    if indicator_id is not None:
        sql += " AND indicator_id = ?"
        params.append(indicator_id)
    if status is not None:
        sql += " AND status = ?"
        params.append(status)
    with open_state(paths) as con:
        rows = con.execute(sql + " ORDER BY evidence_id", params).fetchall()
    return [_row_to_record(r) for r in rows]


def _set_status(paths: Paths, evidence_id: int, status: str, by: str, reason: str | None, at: str | None) -> EvidenceRecord:
    rec = get_evidence(paths, evidence_id)
    if status == "diverifikasi" and rec.status != "diajukan":
        raise EvidenceError(
            f"{rec.label} berstatus '{rec.status}'; hanya bukti yang 'diajukan' yang dapat diverifikasi. "
            "Bukti yang ditolak diajukan ulang sebagai catatan baru."
        )
    if status == "ditolak" and rec.status == "ditolak":
        raise EvidenceError(f"{rec.label} sudah ditolak.")
    with open_state(paths) as con, transaction(con):
        con.execute(
            "UPDATE evidence SET status = ?, status_reason = ?, status_by = ?, status_at = ? WHERE evidence_id = ?",
            [status, reason, by, at or now_local(), rec.evidence_id],
        )
    return get_evidence(paths, evidence_id)


def verify_evidence(paths: Paths, evidence_id: int, *, by: str, at: str | None = None,
                    actor: Any = None) -> EvidenceRecord:
    """Mark a submitted record as verified (diverifikasi); refused without ``verify_evidence``."""
    require(actor, "verify_evidence")
    return _set_status(paths, evidence_id, "diverifikasi", _clean_text(by, "Nama pemverifikasi", 120), None, at)


def reject_evidence(paths: Paths, evidence_id: int, *, by: str, reason: str, at: str | None = None,
                    actor: Any = None) -> EvidenceRecord:
    """Reject a record (ditolak) with a reason; a verified record can be rejected later too. Refused
    without ``verify_evidence``."""
    require(actor, "verify_evidence")
    reason_c = _clean_text(reason, "Alasan penolakan", 500, redact=True)
    return _set_status(paths, evidence_id, "ditolak", _clean_text(by, "Nama pemverifikasi", 120), reason_c, at)


# ----------------------------------------------------------------- scoring an evidence indicator


@dataclass
class EvidenceStatus:
    """How one evidence indicator stands for an evaluation year."""

    units: int  # verified documents or events that count
    present_types: tuple[str, ...]
    missing_types: tuple[str, ...]
    score: float  # 0..100
    counted_ids: list[int] = field(default_factory=list)


def counts_for_year(ind: Indicator, rec: EvidenceRecord, year: int) -> bool:
    """Whether a record (any status) is of the right indicator, type and year for ``year``."""
    spec = ind.evidence
    assert spec is not None
    if rec.indicator_id != ind.id or rec.doc_type not in spec.types or rec.doc_date.year > year:
        return False
    return rec.year == year if spec.renew_each_year else rec.year <= year


def evidence_status(ind: Indicator, records: Iterable[EvidenceRecord], year: int) -> EvidenceStatus:
    """Score an evidence indicator from the VERIFIED records with intact files (0..100)."""
    spec = ind.evidence
    assert spec is not None
    ok = [r for r in records if r.status == "diverifikasi" and r.file_ok and counts_for_year(ind, r, year)]
    units = len({r.doc_date for r in ok}) if spec.count == "events" else len(ok)
    present = tuple(t for t in spec.types if any(r.doc_type == t for r in ok))
    missing = tuple(t for t in spec.required_types if t not in present)
    frac = min(units, spec.required_count) / spec.required_count
    if spec.required_types:
        frac = (frac + (len(spec.required_types) - len(missing)) / len(spec.required_types)) / 2
    return EvidenceStatus(units, present, missing, 100.0 * frac, [r.evidence_id for r in ok])


@dataclass
class IndicatorCompleteness:
    """The completeness view of one evidence indicator: what is there and what is missing."""

    indicator_id: str
    label: str
    dimension: str
    document: str
    types: tuple[str, ...]
    required_count: int
    count: str
    required_types: tuple[str, ...]
    renew_each_year: bool
    units: int
    missing_units: int
    missing_types: tuple[str, ...]
    score: float
    status: str  # lengkap | sebagian | belum ada
    verified_ids: list[int]
    pending_ids: list[int]
    rejected_ids: list[int]
    missing: str  # a sentence in Bahasa Indonesia, '' when complete

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def unit_word(count: str) -> str:
    return "kegiatan" if count == "events" else "dokumen"


def completeness(model: RatingModel, records: Sequence[EvidenceRecord], year: int) -> list[IndicatorCompleteness]:
    """Per evidence indicator, for evaluation ``year``: verified units, pending, rejected, and what is missing."""
    out = []
    for ind in model.evidence_indicators:
        spec = ind.evidence
        assert spec is not None
        st = evidence_status(ind, records, year)
        rel = [r for r in records if counts_for_year(ind, r, year)]
        pending = [r.evidence_id for r in rel if r.status == "diajukan"]
        rejected = [r.evidence_id for r in rel if r.status == "ditolak"]
        missing_units = max(0, spec.required_count - st.units)
        parts = []
        yr = f"tahun {year}" if spec.renew_each_year else f"yang berlaku pada {year}"
        if missing_units:
            if spec.required_count == 1 and spec.count == "documents":
                parts.append(f"belum ada {spec.document} {yr} yang terverifikasi")
            else:
                parts.append(f"kurang {missing_units} {unit_word(spec.count)} {spec.document} {yr} "
                             f"(terverifikasi {st.units} dari {spec.required_count})")
        if st.missing_types:
            parts.append(f"jenis dokumen wajib yang belum ada: {', '.join(st.missing_types)}")
        broken = [r.evidence_id for r in rel if r.status == "diverifikasi" and not r.file_ok]
        if broken:
            parts.append(f"berkas hilang atau berubah: {', '.join(f'BD-{i:04d}' for i in broken)}")
        if pending and parts:
            parts.append(f"{len(pending)} bukti menunggu verifikasi ({', '.join(f'BD-{i:04d}' for i in pending)})")
        status = "lengkap" if st.score >= 100 - 1e-9 else ("belum ada" if st.score == 0 else "sebagian")
        out.append(IndicatorCompleteness(
            ind.id, ind.label, ind.dimension, spec.document, spec.types, spec.required_count, spec.count,
            spec.required_types, spec.renew_each_year, st.units, missing_units, st.missing_types, st.score, status,
            st.counted_ids, pending, rejected, (_cap("; ".join(parts)) + ".") if parts else "",
        ))
    return out


def completeness_for(paths: Paths, year: int, model: RatingModel | None = None) -> list[IndicatorCompleteness]:
    """The completeness view from the state store (what users see while recording evidence)."""
    model = model or load_model(config_dir=paths.config_dir)
    return completeness(model, list_evidence(paths), year)


def has_assessable_evidence(model: RatingModel, records: Iterable[EvidenceRecord], year: int) -> bool:
    """At least one verified, intact record counts for some evidence indicator in ``year``."""
    recs = list(records)
    return any(evidence_status(ind, recs, year).counted_ids for ind in model.evidence_indicators)


# ----------------------------------------------------------------- warehouse


def copy_evidence_to_warehouse(con: Any, paths: Paths) -> int:
    """Create and fill the ``evidence`` table in a warehouse being built; return the rows copied.

    Each file's hash is checked now (``file_ok``), so the snapshot records which
    documents were really there. Persons' names stay in the state store.
    """
    con.execute(EVIDENCE_TABLE_SQL)
    con.execute("DELETE FROM evidence")
    records = list_evidence(paths)
    rows = [
        (r.evidence_id, r.indicator_id, r.year, _redact(r.title), r.doc_type, r.doc_date, _redact(r.file_name),
         r.file_ref, r.sha256, r.size_bytes, file_intact(paths, r), dt.datetime.fromisoformat(r.recorded_at), r.status,
         _redact(r.status_reason) if r.status_reason else None,
         dt.datetime.fromisoformat(r.status_at) if r.status_at else None)
        for r in records
    ]
    if rows:
        con.executemany(f"INSERT INTO evidence ({', '.join(_WH_COLS)}) VALUES ({', '.join('?' for _ in _WH_COLS)})", rows)  # noqa: S608 - fixed column names
    return len(rows)


def warehouse_has_evidence_table(con: Any) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'evidence'"
    ).fetchone()[0])


def load_evidence(con: Any) -> tuple[list[EvidenceRecord], str | None]:
    """Evidence records from a warehouse, and a note when the warehouse predates the register."""
    if not warehouse_has_evidence_table(con):
        return [], NO_EVIDENCE_TABLE_NOTE
    cur = con.execute(f"SELECT {', '.join(_WH_COLS)} FROM evidence ORDER BY evidence_id")  # noqa: S608 - fixed column names
    return [_row_to_record(dict(zip(_WH_COLS, row, strict=True))) for row in cur.fetchall()], None


def evidence_fingerprint(records: Iterable[EvidenceRecord]) -> str:
    """A short hash of what the rating reads from evidence (to fold into a snapshot's input hash)."""
    h = hashlib.sha256()
    for r in sorted(records, key=lambda r: r.evidence_id):
        h.update("|".join(map(str, (r.evidence_id, r.indicator_id, r.year, r.doc_type, r.doc_date, r.sha256,
                                    r.status, r.file_ok))).encode())
        h.update(b"\n")
    return h.hexdigest()[:16]


def state_evidence_fingerprint(paths: Paths) -> str:
    """Fingerprint of the evidence currently in the state store (file checks included)."""
    recs = [r if file_intact(paths, r) else _with_file_ok(r, False) for r in list_evidence(paths)]
    return evidence_fingerprint(recs)


def _with_file_ok(r: EvidenceRecord, ok: bool) -> EvidenceRecord:
    from dataclasses import replace

    return replace(r, file_ok=ok)
