"""The audit log: who did what, when (logins, uploads, builds, evidence changes, downloads, accounts).

``audit(paths, user, action, detail)`` appends one row; ``list_audit`` reads them back, newest first.
Details are short descriptions (a file name, an evidence number), never complaint content; personal
data patterns in them are redacted anyway and control characters dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from pipelines.auth import store
from pipelines.ingest.pii import redact_text
from pipelines.settings import Paths
from pipelines.state import open_state, transaction

# action -> label (Bahasa Indonesia, shown on the Log Audit page and by `monev audit`)
ACTIONS: dict[str, str] = {
    "login_ok": "Masuk",
    "login_failed": "Gagal masuk",
    "login_locked": "Masuk ditunda",
    "logout": "Keluar",
    "session_expired": "Sesi berakhir",
    "upload": "Unggah berkas",
    "build": "Bangun gudang data",
    "evidence_add": "Catat bukti dukung",
    "evidence_verify": "Verifikasi bukti dukung",
    "evidence_reject": "Tolak bukti dukung",
    "scorecard_download": "Unduh rapor",
    "data_download": "Unduh data",
    "access_denied": "Akses ditolak",
    "user_add": "Tambah akun",
    "user_disable": "Nonaktifkan akun",
    "user_enable": "Aktifkan akun",
    "user_passwd": "Ganti kata sandi",
    "officer_add": "Tambah pejabat penghubung",
    "officer_update": "Ubah pejabat penghubung",
    "officer_remove": "Hapus pejabat penghubung",
    "digest_sent": "Kirim daftar kerja",
    "digest_failed": "Gagal kirim daftar kerja",
}
MAX_DETAIL = 500


@dataclass(frozen=True)
class AuditEntry:
    audit_id: int
    at: str
    username: str
    action: str
    detail: str | None
    source: str

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "action_label": self.action_label}


def clean_text(value: object, max_len: int = MAX_DETAIL) -> str:
    """One line of printable text, personal data redacted, at most ``max_len`` characters."""

    s = "".join(ch if ch.isprintable() else " " for ch in str(value if value is not None else ""))
    s = " ".join(s.split())
    return (redact_text(s) or "")[:max_len]


def audit(paths: Paths, user: str | None, action: str, detail: object = None, *, source: str = "dasbor",
          at: dt.datetime | None = None) -> int:
    """Append one entry to the audit log; returns its id. ``action`` is a key of ``ACTIONS``."""
    if action not in ACTIONS:
        raise ValueError(f"Aksi audit {action!r} tidak dikenal; pilih salah satu: {', '.join(ACTIONS)}.")
    who = clean_text(user or "(tanpa nama)", 80)
    text = clean_text(detail) if detail not in (None, "") else None
    with open_state(paths) as con, transaction(con):
        cur = con.execute(
            "INSERT INTO audit_log (at, username, action, detail, source) VALUES (?, ?, ?, ?, ?)",
            [store.ts(at or store.now()), who, action, text, source],
        )
        return int(cur.lastrowid)


def list_audit(paths: Paths, *, limit: int | None = 200, user: str | None = None, action: str | None = None,
               since: dt.datetime | None = None) -> list[AuditEntry]:
    """Audit entries, newest first (optionally one user's, one action's, or since a time)."""
    where, args = [], []
    if user:
        where.append("username = ?")
        args.append(user)
    if action:
        where.append("action = ?")
        args.append(action)
    if since is not None:
        where.append("at >= ?")
        args.append(store.ts(since))
    sql = "SELECT audit_id, at, username, action, detail, source FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY at DESC, audit_id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(int(limit))
    with open_state(paths) as con:
        return [AuditEntry(**dict(r)) for r in con.execute(sql, args).fetchall()]
