"""The officers' register in the app-state store: add, update, remove, list, and the flags per OPD.

One OPD may have more than one officer (an admin and a deputy); it is covered when at least one of
them is named in an SK that is still current (``sk_is_current``: at most ``SK_VALID_YEARS`` old on the
reference date). Every change is in the audit log, without contact data (the officer's number and OPD).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from pipelines import fmt
from pipelines.auth.accounts import AuthError, resolve_department
from pipelines.auth.audit import audit
from pipelines.capabilities import require
from pipelines.settings import Paths
from pipelines.state import now_local, open_state, register_migration, transaction

MIGRATION_ID = "0010_officers"
MIGRATION_SQL = """
CREATE TABLE officers (
    officer_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    department  TEXT NOT NULL,              -- canonical OPD name (config/departments.yaml)
    name        TEXT NOT NULL,              -- personal data: never leaves the state store but as the register
    position    TEXT NOT NULL,              -- jabatan
    email       TEXT,                       -- personal data
    whatsapp    TEXT,                       -- personal data, +62... (E.164)
    sk_number   TEXT NOT NULL,              -- nomor SK Wali Kota
    sk_date     TEXT NOT NULL,              -- ISO date of the SK
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT,
    updated_by  TEXT
);
CREATE INDEX officers_department ON officers (department);
"""
register_migration(MIGRATION_ID, MIGRATION_SQL)

SK_VALID_YEARS = 1  # the SK is renewed every year (complaint-lifecycle.md)
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_FIELDS = ("name", "position", "email", "whatsapp", "sk_number", "sk_date")


class OfficerError(ValueError):
    """A register operation that cannot be done (message in Bahasa Indonesia)."""


@dataclass(frozen=True)
class Officer:
    officer_id: int
    department: str
    name: str
    position: str
    email: str | None
    whatsapp: str | None
    sk_number: str
    sk_date: dt.date
    created_at: str
    created_by: str
    updated_at: str | None = None
    updated_by: str | None = None

    @property
    def label(self) -> str:
        return f"PP-{self.officer_id:04d}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "sk_date": self.sk_date.isoformat(), "label": self.label}


# ----------------------------------------------------------------- validation


def _text(raw: object, what: str, max_len: int, *, required: bool = True) -> str | None:
    s = " ".join("".join(ch if ch.isprintable() else " " for ch in str(raw or "")).split())
    if not s:
        if required:
            raise OfficerError(f"{what} wajib diisi.")
        return None
    if len(s) > max_len:
        raise OfficerError(f"{what} terlalu panjang ({len(s)} karakter; paling banyak {max_len}).")
    return s


def normalize_email(raw: object) -> str | None:
    s = _text(raw, "E-mail", 254, required=False)
    if s is None:
        return None
    if not _EMAIL_RE.match(s):
        raise OfficerError(f"E-mail '{s}' tidak sah; tulis seperti nama@blitarkota.go.id.")
    local, _, domain = s.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalize_whatsapp(raw: object) -> str | None:
    """A WhatsApp number as +62...: '0812-3456-7890', '62812...' and '+62 812...' are the same number."""
    s = _text(raw, "Nomor WhatsApp", 30, required=False)
    if s is None:
        return None
    digits = re.sub(r"[\s().-]", "", s)
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.isdigit() or not 10 <= len(digits) <= 15 or not digits.startswith("62"):
        raise OfficerError(
            f"Nomor WhatsApp '{s}' tidak sah; tulis nomor Indonesia seperti 0812-3456-7890 atau +62 812 3456 7890."
        )
    return "+" + digits


def parse_sk_date(raw: object, today: dt.date | None = None) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        d = raw
    else:
        s = str(raw or "").strip()
        try:
            d = dt.date.fromisoformat(s[:10])
        except ValueError:
            raise OfficerError(f"Tanggal SK '{s}' tidak dikenali; tulis sebagai YYYY-MM-DD (mis. 2026-01-15).") from None
    if d > (today or dt.date.today()):
        raise OfficerError(f"Tanggal SK {fmt.date_long(d)} ada di masa depan; periksa tanggalnya.")
    return d


def _department(raw: object, config_dir) -> str:
    try:
        return resolve_department(raw, config_dir)
    except AuthError as exc:
        raise OfficerError(str(exc)) from None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in values.items():
        if k == "name":
            out[k] = _text(v, "Nama pejabat", 120)
        elif k == "position":
            out[k] = _text(v, "Jabatan", 160)
        elif k == "email":
            out[k] = normalize_email(v)
        elif k == "whatsapp":
            out[k] = normalize_whatsapp(v)
        elif k == "sk_number":
            out[k] = _text(v, "Nomor SK", 120)
        elif k == "sk_date":
            out[k] = parse_sk_date(v).isoformat()
    return out


# ----------------------------------------------------------------- store


def _row(r: Any) -> Officer:
    d = dict(r)
    d["sk_date"] = dt.date.fromisoformat(d["sk_date"])
    return Officer(**d)


def add_officer(paths: Paths, department: object, *, name: object, position: object, sk_number: object,
                sk_date: object, email: object = None, whatsapp: object = None, by: str,
                source: str = "dasbor", actor: Any = None) -> Officer:
    """Add an officer to the register (the OPD by canonical name, short name or alias). ``actor``: who asks
    (the dashboard's viewer; None = the command-line operator); refused without ``manage_officers``."""
    require(actor, "manage_officers")
    dep = _department(department, paths.config_dir)
    v = _clean({"name": name, "position": position, "email": email, "whatsapp": whatsapp,
                "sk_number": sk_number, "sk_date": sk_date})
    if not v["email"] and not v["whatsapp"]:
        raise OfficerError("Isi minimal satu kontak: e-mail atau nomor WhatsApp (daftar kerja dikirim ke sana).")
    with open_state(paths) as con, transaction(con):
        cur = con.execute(
            "INSERT INTO officers (department, name, position, email, whatsapp, sk_number, sk_date, created_at,"
            " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [dep, v["name"], v["position"], v["email"], v["whatsapp"], v["sk_number"], v["sk_date"], now_local(),
             by],
        )
        oid = int(cur.lastrowid)
    audit(paths, by, "officer_add", f"PP-{oid:04d} {dep} (SK {v['sk_number']}, {v['sk_date']})", source=source)
    return get_officer(paths, oid)


def get_officer(paths: Paths, officer_id: int) -> Officer:
    with open_state(paths) as con:
        r = con.execute("SELECT * FROM officers WHERE officer_id = ?", [int(officer_id)]).fetchone()
    if r is None:
        raise OfficerError(f"Pejabat penghubung PP-{int(officer_id):04d} tidak ada di register.")
    return _row(r)


def list_officers(paths: Paths, department: str | None = None) -> list[Officer]:
    """The register (one OPD's officers when ``department`` is given), by OPD then id."""
    sql, args = "SELECT * FROM officers", []
    if department is not None:
        sql += " WHERE department = ?"
        args.append(department)
    with open_state(paths) as con:
        return [_row(r) for r in con.execute(sql + " ORDER BY department, officer_id", args).fetchall()]


def update_officer(paths: Paths, officer_id: int, *, by: str, source: str = "dasbor", actor: Any = None,
                   **changes: Any) -> Officer:
    """Change fields of an officer (``department``, ``name``, ``position``, ``email``, ``whatsapp``,
    ``sk_number``, ``sk_date``); a value of None leaves the field as it is, '' clears e-mail/WhatsApp."""
    require(actor, "manage_officers")
    old = get_officer(paths, officer_id)
    unknown = set(changes) - {*_FIELDS, "department"}
    if unknown:
        raise OfficerError(f"Kolom tidak dikenal: {', '.join(sorted(unknown))}.")
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise OfficerError("Tidak ada yang diubah: sebutkan kolom yang diganti.")
    v = _clean({k: x for k, x in given.items() if k != "department"})
    if "department" in given:
        v["department"] = _department(given["department"], paths.config_dir)
    email = v.get("email", old.email) if "email" in given else old.email
    wa = v.get("whatsapp", old.whatsapp) if "whatsapp" in given else old.whatsapp
    if not email and not wa:
        raise OfficerError("Pejabat penghubung harus punya minimal satu kontak: e-mail atau nomor WhatsApp.")
    cols = sorted(v)
    with open_state(paths) as con, transaction(con):
        con.execute(
            f"UPDATE officers SET {', '.join(f'{c} = ?' for c in cols)}, updated_at = ?, updated_by = ? "  # noqa: S608 - fixed names
            "WHERE officer_id = ?",
            [*(v[c] for c in cols), now_local(), by, int(officer_id)],
        )
    audit(paths, by, "officer_update", f"{old.label} {v.get('department', old.department)}: {', '.join(cols)}",
          source=source)
    return get_officer(paths, officer_id)


def remove_officer(paths: Paths, officer_id: int, *, by: str, source: str = "dasbor", actor: Any = None) -> Officer:
    """Remove an officer from the register (e.g. moved to another post); returns the removed record."""
    require(actor, "manage_officers")
    old = get_officer(paths, officer_id)
    with open_state(paths) as con, transaction(con):
        con.execute("DELETE FROM officers WHERE officer_id = ?", [int(officer_id)])
    audit(paths, by, "officer_remove", f"{old.label} {old.department}", source=source)
    return old


# ----------------------------------------------------------------- flags


def _plus_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def sk_is_current(sk_date: dt.date, reference: dt.date) -> bool:
    """An SK is current on ``reference`` when it is dated on or before it and at most a year old
    (an SK of 15 January 2026 is current up to and including 15 January 2027)."""
    return sk_date <= reference <= _plus_years(sk_date, SK_VALID_YEARS)


@dataclass(frozen=True)
class RegisterFlag:
    """How one OPD stands in the register on a reference date (no contact data)."""

    department: str
    officers: int
    latest_sk_date: dt.date | None
    sk_current: bool
    reachable: bool  # at least one officer with an e-mail address
    flag: str  # ok | tanpa_pejabat | sk_kedaluwarsa
    message: str

    @property
    def flagged(self) -> bool:
        return self.flag != "ok"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["latest_sk_date"] = self.latest_sk_date.isoformat() if self.latest_sk_date else None
        return d


def _flag_for(department: str, officers: Sequence[Officer], reference: dt.date) -> RegisterFlag:
    if not officers:
        return RegisterFlag(department, 0, None, False, False, "tanpa_pejabat",
                            "Belum ada pejabat penghubung di register.")
    latest = max(o.sk_date for o in officers)
    current = any(sk_is_current(o.sk_date, reference) for o in officers)
    reachable = any(o.email for o in officers)
    if current:
        return RegisterFlag(department, len(officers), latest, True, reachable, "ok", "")
    return RegisterFlag(
        department, len(officers), latest, False, reachable, "sk_kedaluwarsa",
        f"SK terakhir bertanggal {fmt.date_long(latest)}, sudah lebih dari {SK_VALID_YEARS} tahun: perlu SK baru.",
    )


def register_flags(departments: Iterable[str], officers: Sequence[Officer], reference: dt.date) -> list[RegisterFlag]:
    """Per OPD of ``departments`` (master data order): officers, latest SK, current or not, and the flag."""
    by_dep: dict[str, list[Officer]] = {}
    for o in officers:
        by_dep.setdefault(o.department, []).append(o)
    return [_flag_for(d, by_dep.get(d, []), reference) for d in departments]
