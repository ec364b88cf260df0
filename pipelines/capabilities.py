"""Who may do what: the one table of roles and capabilities, and the check every function that writes
calls itself (evidence add/verify/reject, saving an upload and starting a build, user administration,
downloads), so a refusal does not depend on a page having hidden a button.

``actor`` is anything with a ``role`` (the dashboard's ``Scope``, an ``Account``); ``None`` is the operator
at the server's command line (``monev ...``), who already has the data directory in hand and may do
everything. The dashboard always passes its viewer.
"""

from __future__ import annotations

from typing import Any, Protocol

ROLES: dict[str, str] = {
    "pimpinan": "Pimpinan (Wali Kota/Sekda)",
    "koordinator": "Admin Koordinator (Diskominfotik)",
    "opd": "Admin OPD",
    "evaluator": "Evaluator",
    "analis": "Analis",
    "provinsi": "Admin Provinsi (Kominfo Provinsi)",
}

# capability -> what it allows (Bahasa Indonesia, shown in the sidebar's access note and in refusals)
CAPABILITY_LABELS: dict[str, str] = {
    "view_aggregates": "melihat angka agregat kota",
    "view_all_departments": "melihat rincian semua OPD",
    "view_complaints": "melihat daftar pengaduan (id, tanggal, status)",
    "view_complaint_text": "melihat judul pengaduan (sudah disamarkan)",
    "view_rating": "melihat penilaian Kemendagri (estimasi)",
    "view_quality": "melihat laporan mutu data",
    "upload_data": "mengunggah data dan menjalankan pembangunan gudang data",
    "view_evidence": "melihat bukti dukung",
    "record_evidence": "mencatat bukti dukung",
    "verify_evidence": "memverifikasi atau menolak bukti dukung",
    "download_data": "mengunduh data tabel dan grafik",
    "download_scorecard": "mengunduh rapor",
    "view_audit": "melihat log audit",
    "manage_users": "mengelola akun pengguna",
    "manage_officers": "mengelola register pejabat penghubung (data kontak pribadi)",
    "view_province": "melihat perbandingan antar-pemda (peringkat dan tren provinsi)",
}

_ALL = frozenset(CAPABILITY_LABELS)
CAPABILITIES: dict[str, frozenset[str]] = {
    # Wali Kota / Sekda: everything, read only
    "pimpinan": _ALL - {"upload_data", "record_evidence", "verify_evidence", "view_audit", "manage_users",
                        "manage_officers"},
    # Diskominfotik: everything
    "koordinator": _ALL,
    # one department: its own complaints and scorecard, city-level aggregates
    "opd": frozenset({
        "view_aggregates", "view_complaints", "view_complaint_text", "view_rating", "download_data",
        "download_scorecard",
    }),
    # aggregates, rating, scorecards, evidence; no complaint rows or texts
    "evaluator": frozenset({
        "view_aggregates", "view_all_departments", "view_rating", "view_evidence", "download_data",
        "download_scorecard", "view_province",
    }),
    # aggregates and redacted complaint rows
    "analis": frozenset({
        "view_aggregates", "view_all_departments", "view_complaints", "view_complaint_text", "view_rating",
        "view_quality", "download_data", "view_province",
    }),
    # a province (Kominfo Provinsi): every pemda's aggregates, ratings and scorecards, the province pages;
    # no complaint rows, no uploads (each pemda's own admins load its exports)
    "provinsi": frozenset({
        "view_aggregates", "view_all_departments", "view_rating", "view_quality", "download_data",
        "download_scorecard", "view_province",
    }),
}


class CapabilityError(PermissionError):
    """The actor's role does not allow this (message in Bahasa Indonesia)."""


class Actor(Protocol):
    role: str


def allowed(role: str, capability: str) -> bool:
    """True when ``role`` has ``capability`` (an unknown capability is a programming error)."""
    if capability not in CAPABILITY_LABELS:
        raise KeyError(f"unknown capability {capability!r}")
    if role not in CAPABILITIES:
        return False
    return capability in CAPABILITIES[role]


def require(actor: Actor | Any | None, capability: str) -> None:
    """Refuse (CapabilityError) unless ``actor`` may ``capability``; ``None`` is the command-line operator."""
    if actor is None:
        if capability not in CAPABILITY_LABELS:
            raise KeyError(f"unknown capability {capability!r}")
        return
    role = str(getattr(actor, "role", ""))
    if not allowed(role, capability):
        who = ROLES.get(role, f"peran '{role}'")
        raise CapabilityError(f"Akses {who} tidak mencakup {CAPABILITY_LABELS[capability]}.")
