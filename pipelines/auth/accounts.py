"""Dashboard accounts, login with lock-out, and sessions that expire.

- Passwords are stored as argon2id hashes (salted, slow; ``argon2-cffi`` defaults), re-hashed on login
  when the parameters change.
- ``login`` checks the throttle first (``pipelines.auth.throttle``): too many wrong tries from one client
  address, or for one name from many addresses, make the next try wait a growing delay (never a lock
  a stranger can put on someone else's account; unknown names are treated alike, so the answer never
  tells whether an account exists). Every attempt is recorded with its address and audited.
- A successful login opens a session: a random token handed to the browser session, stored only as
  its SHA-256. ``check_session`` runs on every dashboard rerun: the session ends after
  ``idle_minutes`` without use, ``max_hours`` after login, when the account is disabled or its
  password changed, or at logout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pipelines.auth import store, throttle
from pipelines.auth.audit import audit
from pipelines.auth.scope import Scope
from pipelines.auth.store import AuthSettings
from pipelines.capabilities import ROLES, require
from pipelines.settings import Paths
from pipelines.state import open_state, transaction

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
GENERIC_FAILURE = "Nama pengguna atau kata sandi salah."

_HASHER = PasswordHasher()
# verified against when the name is unknown, so a wrong name costs the same time as a wrong password
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class AuthError(ValueError):
    """An account operation that cannot be done (message in Bahasa Indonesia)."""


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    department: str | None
    active: bool
    created_at: str
    created_by: str
    password_changed_at: str
    last_login_at: str | None
    pemda: str | None = None  # province installation: the account's pemda ('35.72'); None = province level

    def scope(self, *, demo: bool = False):
        """The access scope of this account (what it may see and do)."""
        return Scope(self.role, department=self.department, user=self.username, demo=demo, pemda=self.pemda)


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    message: str
    account: Account | None = None
    token: str | None = None
    locked_until: dt.datetime | None = None
    failures_left: int | None = None


@dataclass(frozen=True)
class SessionCheck:
    ok: bool
    account: Account | None = None
    reason: str | None = None  # missing | expired | disabled
    message: str = ""


# ---------------------------------------------------------------- names, roles, departments, passwords


def roles() -> dict[str, str]:
    return ROLES


def normalize_username(name: object) -> str:
    return str(name or "").strip().lower()


def check_username(name: object) -> str:
    u = normalize_username(name)
    if not USERNAME_RE.match(u):
        raise AuthError(
            f"Nama pengguna '{str(name)[:60]}' tidak sah: 2-40 karakter huruf kecil, angka, titik, garis bawah atau "
            "tanda hubung, diawali huruf atau angka (mis. budi.santoso)."
        )
    return u


def check_role(role: object) -> str:
    r = str(role or "").strip().lower()
    if r not in roles():
        raise AuthError(f"Peran '{role}' tidak dikenal; pilih salah satu: {', '.join(roles())}.")
    return r


def resolve_department(raw: object, config_dir=None) -> str:
    """The canonical OPD name for what was typed (name, short name or alias); an unknown name is refused
    with the closest names as suggestions."""
    from pipelines.ingest.matching import matchers
    from pipelines.masterdata import load_master_data

    md = load_master_data(config_dir)
    text = str(raw or "").strip()
    hit = md.department_exact(text)
    if hit:
        return hit
    m = matchers(md)["department"].match(text)
    suggestions = m.suggestions or ((m.value,) if m.value else ())
    hint = f" Mungkin maksudnya: {'; '.join(suggestions)}." if suggestions else ""
    raise AuthError(f"OPD '{text}' tidak ada di data induk (config/departments.yaml).{hint}")


def check_password(password: str, username: str, settings: AuthSettings) -> None:
    if len(password) < settings.min_password_length:
        raise AuthError(f"Kata sandi minimal {settings.min_password_length} karakter.")
    if len(password) > 1024:
        raise AuthError("Kata sandi terlalu panjang (paling banyak 1.024 karakter).")
    if password.strip().lower() == username or len(set(password)) < 4:
        raise AuthError("Kata sandi terlalu mudah ditebak; pakai kalimat sandi yang lebih beragam.")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _row_account(r) -> Account:
    return Account(
        username=r["username"], role=r["role"], department=r["department"], active=bool(r["active"]),
        created_at=r["created_at"], created_by=r["created_by"], password_changed_at=r["password_changed_at"],
        last_login_at=r["last_login_at"], pemda=r["pemda"] if "pemda" in r.keys() else None,  # noqa: SIM118 - sqlite3.Row
    )


def check_account(paths: Paths, role: object, department: object = None, pemda: object = None
                  ) -> tuple[str, str | None, str | None]:
    """(role, canonical OPD, pemda code) of an account to create, or AuthError saying what to change.

    Single-city installation: as always (``department`` for role opd only); ``pemda`` and role provinsi are
    refused. Province installation (docs/province.md): an account without ``pemda`` is province level (it
    compares every pemda), ``provinsi`` is always province level, an ``opd`` account needs its pemda and its
    OPD must be in THAT pemda's master data."""
    from pipelines.province import ProvinceError, load_province

    r = check_role(role)
    try:
        province = load_province(paths)
    except ProvinceError as exc:
        raise AuthError(str(exc)) from None
    config_dir = paths.config_dir
    code = where = None
    if province is None:
        if pemda:
            raise AuthError(f"--pemda hanya berlaku pada instalasi provinsi; {paths.data_dir} adalah instalasi satu "
                            "pemda. Hapus --pemda.")
        if r == "provinsi":
            raise AuthError("Peran provinsi hanya untuk instalasi provinsi (folder data dengan provinsi.yaml).")
    elif pemda:
        if r == "provinsi":
            raise AuthError("Peran provinsi melihat semua pemda; hapus --pemda untuk peran ini.")
        try:
            p = province.get(pemda)
        except ProvinceError as exc:
            raise AuthError(str(exc)) from None
        code, config_dir, where = p.kode, p.paths.config_dir, f"{p.name} ({p.kode})"
    elif r == "opd":
        codes = ", ".join(f"{p.kode} ({p.name})" for p in province.pemda[:8])
        raise AuthError(f"Peran opd pada instalasi provinsi wajib disertai --pemda KODE (pemda OPD itu): {codes}.")
    dep = None
    if r == "opd":
        if not department:
            raise AuthError("Peran opd wajib disertai --department (nama OPD di data induk).")
        try:
            dep = resolve_department(department, config_dir)
        except AuthError as exc:
            if where is None:
                raise
            raise AuthError(f"Pemda {where}: {exc} Data induk pemda ini: {config_dir}/departments.yaml.") from None
    elif department:
        raise AuthError(f"Hanya peran opd yang dibatasi pada satu OPD; hapus --department untuk peran {r}.")
    return r, dep, code


# ---------------------------------------------------------------- accounts


def add_user(paths: Paths, username: str, role: str, password: str, *, department: str | None = None,
             created_by: str = "cli", settings: AuthSettings | None = None, source: str = "cli",
             actor: Any = None, pemda: str | None = None) -> Account:
    """Create an account (``department`` required for role opd, refused for the others; on a province
    installation ``pemda``: see ``check_account``). ``actor``: who asks (None = the command-line operator);
    refused without ``manage_users``."""
    require(actor, "manage_users")
    settings = settings or AuthSettings.from_env()
    u = check_username(username)
    r, dep, code = check_account(paths, role, department, pemda)
    check_password(password, u, settings)
    t = store.ts(store.now())
    with open_state(paths) as con, transaction(con):
        if con.execute("SELECT 1 FROM accounts WHERE username = ?", [u]).fetchone():
            raise AuthError(f"Akun '{u}' sudah ada; pakai `monev user passwd {u}` untuk mengganti kata sandinya.")
        con.execute(
            "INSERT INTO accounts (username, role, department, password_hash, active, created_at, created_by, "
            "password_changed_at, pemda) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
            [u, r, dep, hash_password(password), t, created_by, t, code],
        )
    where = (f" – {dep}" if dep else "") + (f" – pemda {code}" if code else "")
    audit(paths, created_by, "user_add", f"{u} ({r}{where})", source=source)
    return get_user(paths, u)


def get_user(paths: Paths, username: str) -> Account:
    u = normalize_username(username)
    with open_state(paths) as con:
        r = con.execute("SELECT * FROM accounts WHERE username = ?", [u]).fetchone()
    if r is None:
        raise AuthError(f"Akun '{u}' tidak ada; lihat `monev user list`.")
    return _row_account(r)


def list_users(paths: Paths) -> list[Account]:
    with open_state(paths) as con:
        return [_row_account(r) for r in con.execute("SELECT * FROM accounts ORDER BY username").fetchall()]


def set_active(paths: Paths, username: str, active: bool, *, by: str = "cli", source: str = "cli",
               actor: Any = None) -> Account:
    """Disable (ending its sessions) or enable an account; refused without ``manage_users``."""
    require(actor, "manage_users")
    acc = get_user(paths, username)
    with open_state(paths) as con, transaction(con):
        con.execute("UPDATE accounts SET active = ? WHERE username = ?", [int(active), acc.username])
        if not active:
            con.execute("DELETE FROM auth_sessions WHERE username = ?", [acc.username])
    audit(paths, by, "user_enable" if active else "user_disable", acc.username, source=source)
    return get_user(paths, acc.username)


def set_password(paths: Paths, username: str, password: str, *, by: str = "cli",
                 settings: AuthSettings | None = None, source: str = "cli", actor: Any = None) -> Account:
    """Change the password (ending the account's sessions and clearing its lock-out); refused without
    ``manage_users``."""
    require(actor, "manage_users")
    settings = settings or AuthSettings.from_env()
    acc = get_user(paths, username)
    check_password(password, acc.username, settings)
    t = store.ts(store.now())
    with open_state(paths) as con, transaction(con):
        con.execute("UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE username = ?",
                    [hash_password(password), t, acc.username])
        con.execute("DELETE FROM auth_sessions WHERE username = ?", [acc.username])
        # a new password clears the lock-out: the failures before it no longer count
        con.execute("INSERT INTO login_attempts (username, at, ok, reason) VALUES (?, ?, 1, 'reset')",
                    [acc.username, t])
    audit(paths, by, "user_passwd", acc.username, source=source)
    return get_user(paths, acc.username)


# ---------------------------------------------------------------- login and lock-out


def lock_status(paths: Paths, username: str, *, at: dt.datetime | None = None, client: str | None = None,
                settings: AuthSettings | None = None) -> dt.datetime | None:
    """Until when tries for this name from this client wait (a growing delay, pipelines.auth.throttle), or None."""
    settings = settings or AuthSettings.from_env()
    at = at or store.now()
    with open_state(paths) as con:
        w = throttle.wait(con, normalize_username(username)[:80], client or throttle.UNKNOWN_CLIENT, at, settings)
    return w.until if w else None


def _attempt(con, u: str, t: str, ok: bool, reason: str, client: str) -> None:
    with transaction(con):
        con.execute("INSERT INTO login_attempts (username, at, ok, reason, client) VALUES (?, ?, ?, ?, ?)",
                    [u, t, int(ok), reason, client])


def _from(client: str) -> str:
    return "" if client == throttle.UNKNOWN_CLIENT else f" (alamat {client})"


_FAIL_DETAIL = {"unknown": "nama pengguna tidak dikenal", "password": "kata sandi salah", "disabled": "akun nonaktif"}


def _failed(paths: Paths, con, u: str, t: str, reason: str, client: str, at: dt.datetime,
            settings: AuthSettings) -> LoginResult:
    _attempt(con, u, t, False, reason, client)
    left = throttle.failures_left(con, client, at, settings)
    audit(paths, u, "login_failed", _FAIL_DETAIL[reason] + _from(client), at=at)
    if reason == "disabled":
        return LoginResult(False, "Akun ini dinonaktifkan. Hubungi admin koordinator.")
    msg = GENERIC_FAILURE
    if 0 < left <= 2:
        msg += f" Sisa {left} percobaan sebelum percobaan berikutnya harus menunggu."
    elif left <= 0:
        w = throttle.wait(con, u, client, at, settings)
        if w is not None:
            msg += f" Percobaan berikutnya baru dapat dilakukan dalam {w.seconds(at)} detik."
    return LoginResult(False, msg, failures_left=max(left, 0))


def login(paths: Paths, username: str, password: str, *, at: dt.datetime | None = None,
          settings: AuthSettings | None = None, client: str | None = None) -> LoginResult:
    """Check a name and password from ``client`` (its address); on success open a session (``result.token``).
    Too many failures from that address, or for that name, make the next try wait (pipelines.auth.throttle)."""
    settings = settings or AuthSettings.from_env()
    at = at or store.now()
    u = normalize_username(username)[:80]
    c = (client or throttle.UNKNOWN_CLIENT)[:64]
    t = store.ts(at)
    with open_state(paths) as con:
        w = throttle.wait(con, u, c, at, settings)
        if w is not None:
            _attempt(con, u, t, False, "throttled", c)
            audit(paths, u, "login_locked", f"ditunda sampai {store.ts(w.until)} (per "
                  f"{'alamat' if w.scope == 'address' else 'nama pengguna'}){_from(c)}", at=at)
            return LoginResult(False, w.message(at), locked_until=w.until)
        row = con.execute("SELECT * FROM accounts WHERE username = ?", [u]).fetchone()
        good = _verify(row["password_hash"] if row else _DUMMY_HASH, password or "") and row is not None
        if not good or not row["active"]:
            reason = "unknown" if row is None else ("password" if not good else "disabled")
            return _failed(paths, con, u, t, reason, c, at, settings)
        token = secrets.token_urlsafe(32)
        with transaction(con):
            con.execute("INSERT INTO login_attempts (username, at, ok, reason, client) VALUES (?, ?, 1, 'ok', ?)",
                        [u, t, c])
            con.execute("INSERT INTO auth_sessions (token_hash, username, created_at, last_seen) VALUES (?, ?, ?, ?)",
                        [_token_hash(token), u, t, t])
            con.execute("UPDATE accounts SET last_login_at = ? WHERE username = ?", [t, u])
            if _HASHER.check_needs_rehash(row["password_hash"]):
                con.execute("UPDATE accounts SET password_hash = ? WHERE username = ?", [hash_password(password), u])
        acc = _row_account(con.execute("SELECT * FROM accounts WHERE username = ?", [u]).fetchone())
    audit(paths, u, "login_ok", _from(c).strip(" ()") or None, at=at)
    return LoginResult(True, "Berhasil masuk.", account=acc, token=token)


# ---------------------------------------------------------------- sessions


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


TOUCH_SECONDS = 60  # last_seen is written at most once a minute per session


def check_session(paths: Paths, token: str | None, *, at: dt.datetime | None = None,
                  settings: AuthSettings | None = None) -> SessionCheck:
    """Whether the session is still valid (and mark it used). An expired session is removed and audited."""
    if not token:
        return SessionCheck(False, reason="missing")
    settings = settings or AuthSettings.from_env()
    at = at or store.now()
    h = _token_hash(token)
    with open_state(paths) as con:
        r = con.execute(
            "SELECT s.created_at, s.last_seen, a.* FROM auth_sessions s JOIN accounts a USING (username) "
            "WHERE s.token_hash = ?", [h]).fetchone()
        if r is None:
            return SessionCheck(False, reason="missing", message="Sesi tidak berlaku lagi; silakan masuk kembali.")
        acc = _row_account(r)
        idle = at - store.parse_ts(r["last_seen"]) > dt.timedelta(minutes=settings.idle_minutes)
        old = at - store.parse_ts(r["created_at"]) > dt.timedelta(hours=settings.max_hours)
        if idle or old or not acc.active:
            with transaction(con):
                con.execute("DELETE FROM auth_sessions WHERE token_hash = ?", [h])
            if not acc.active:
                return SessionCheck(False, acc, "disabled", "Akun ini dinonaktifkan. Hubungi admin koordinator.")
            why = (f"tidak dipakai lebih dari {_duration(settings.idle_minutes)}" if idle
                   else f"sudah lebih dari {_duration(settings.max_hours * 60)} sejak masuk")
            audit(paths, acc.username, "session_expired", why, at=at)
            return SessionCheck(False, acc, "expired", f"Sesi berakhir karena {why}. Silakan masuk kembali.")
        if (at - store.parse_ts(r["last_seen"])).total_seconds() >= TOUCH_SECONDS:
            with transaction(con):
                con.execute("UPDATE auth_sessions SET last_seen = ? WHERE token_hash = ?", [store.ts(at), h])
    return SessionCheck(True, acc)


def logout(paths: Paths, token: str | None, *, at: dt.datetime | None = None) -> None:
    if not token:
        return
    h = _token_hash(token)
    with open_state(paths) as con:
        r = con.execute("SELECT username FROM auth_sessions WHERE token_hash = ?", [h]).fetchone()
        with transaction(con):
            con.execute("DELETE FROM auth_sessions WHERE token_hash = ?", [h])
    if r is not None:
        audit(paths, r[0], "logout", None, at=at)


def _duration(minutes: float) -> str:
    if minutes >= 60 and minutes % 60 == 0:
        return f"{int(minutes // 60)} jam"
    return f"{int(minutes)} menit"
