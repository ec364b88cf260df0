"""Tables of the access-control store (accounts, sessions, login attempts, audit log) and the settings.

They live in the app-state store (``pipelines.state``: ``<data-dir>/state/app.sqlite``), added by one
migration registered when this module is imported. Times are local ISO strings with seconds
(``YYYY-MM-DD HH:MM:SS``, as ``state.now_local``), so they compare as text.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from pipelines.state import register_migration

MIGRATION_ID = "0002_auth"
MIGRATION_SQL = """
CREATE TABLE accounts (
    username            TEXT PRIMARY KEY,       -- lower case, [a-z0-9._-]
    role                TEXT NOT NULL,          -- pipelines.auth.scope.ROLES
    department          TEXT,                   -- canonical OPD name (role opd only)
    password_hash       TEXT NOT NULL,          -- argon2id, salted (PHC string)
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    last_login_at       TEXT
);
CREATE TABLE auth_sessions (
    token_hash  TEXT PRIMARY KEY,               -- sha256 of the token (the token itself is never stored)
    username    TEXT NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (username);
CREATE TABLE login_attempts (
    attempt_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    username    TEXT NOT NULL,                  -- as typed (normalised), also for unknown names
    at          TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    reason      TEXT NOT NULL                   -- ok | password | unknown | disabled | locked
);
CREATE INDEX login_attempts_user_at ON login_attempts (username, at);
CREATE TABLE audit_log (
    audit_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    username    TEXT NOT NULL,
    action      TEXT NOT NULL,
    detail      TEXT,
    source      TEXT NOT NULL                   -- dasbor | cli
);
CREATE INDEX audit_log_at ON audit_log (at);
"""

register_migration(MIGRATION_ID, MIGRATION_SQL)

# issue 19: on a province installation an account belongs to one pemda (Kemendagri code '35.72') or, NULL,
# to the province level; existing single-city accounts keep NULL and work as before
PEMDA_MIGRATION_ID = "0019_accounts_pemda"
PEMDA_MIGRATION_SQL = "ALTER TABLE accounts ADD COLUMN pemda TEXT;"
register_migration(PEMDA_MIGRATION_ID, PEMDA_MIGRATION_SQL)

TIME_FMT = "%Y-%m-%d %H:%M:%S"


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def ts(t: dt.datetime) -> str:
    return t.strftime(TIME_FMT)


def parse_ts(s: str) -> dt.datetime:
    return dt.datetime.strptime(s[:19].replace("T", " "), TIME_FMT)


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name}={raw!r} bukan angka.") from exc
    if value <= 0:
        raise ValueError(f"{name} harus lebih dari 0.")
    return value


@dataclass(frozen=True)
class AuthSettings:
    """Session and lock-out limits (environment variables override the defaults)."""

    idle_minutes: float = 8 * 60  # MONEV_SESSION_IDLE_MINUTES: a session unused this long ends
    max_hours: float = 24  # MONEV_SESSION_MAX_HOURS: a session ends this long after login, used or not
    max_failures: int = 5  # MONEV_LOGIN_MAX_FAILURES: failed logins from one address within the window ...
    window_minutes: float = 15  # MONEV_LOGIN_WINDOW_MINUTES
    lock_minutes: float = 15  # MONEV_LOGIN_LOCK_MINUTES: ... then a growing delay, at most this long
    min_password_length: int = 10
    address_step_seconds: float = 60  # MONEV_LOGIN_DELAY_SECONDS: first delay per address, doubling
    account_max_failures: int = 10  # MONEV_LOGIN_ACCOUNT_MAX_FAILURES: failures for one name, all addresses
    account_step_seconds: float = 30  # first delay per account, doubling ...
    account_max_delay_seconds: float = 300  # MONEV_LOGIN_ACCOUNT_MAX_DELAY_SECONDS: ... at most this long
    known_client_days: float = 30  # an address the account logged in from is exempt from the account delay

    @classmethod
    def from_env(cls) -> AuthSettings:
        d = cls()
        return cls(
            idle_minutes=_env_number("MONEV_SESSION_IDLE_MINUTES", d.idle_minutes),
            max_hours=_env_number("MONEV_SESSION_MAX_HOURS", d.max_hours),
            max_failures=int(_env_number("MONEV_LOGIN_MAX_FAILURES", d.max_failures)),
            window_minutes=_env_number("MONEV_LOGIN_WINDOW_MINUTES", d.window_minutes),
            lock_minutes=_env_number("MONEV_LOGIN_LOCK_MINUTES", d.lock_minutes),
            address_step_seconds=_env_number("MONEV_LOGIN_DELAY_SECONDS", d.address_step_seconds),
            account_max_failures=int(_env_number("MONEV_LOGIN_ACCOUNT_MAX_FAILURES", d.account_max_failures)),
            account_max_delay_seconds=_env_number("MONEV_LOGIN_ACCOUNT_MAX_DELAY_SECONDS",
                                                  d.account_max_delay_seconds),
        )
