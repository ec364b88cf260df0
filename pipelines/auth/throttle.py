"""Login throttling: a growing delay per client address and per account, never a lock-out anyone can use.

- **Per address**: after ``max_failures`` wrong tries from one client address (any user names) within
  ``window_minutes``, the next try from that address waits ``address_step_seconds``, doubling with every
  further failure, at most ``lock_minutes``. Other addresses are not affected, so a stranger guessing at
  the form cannot keep the Wali Kota out.
- **Per account**: after ``account_max_failures`` wrong tries for one user name from all addresses (a
  guess spread over many addresses), tries for that name wait ``account_step_seconds``, doubling, at
  most ``account_max_delay_seconds``; an address from which the account logged in successfully in the
  last ``known_client_days`` days is exempt, so its owner still gets in.
- A throttled try is refused without checking the password and does not count as a failure (waiting
  always helps). Unknown names are counted and answered exactly like real ones (no enumeration).

The client address comes from the connection; behind the reverse proxy (the server listens on
127.0.0.1) it is the proxy's ``X-Real-IP`` header (``client_address``).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from pipelines.auth import store
from pipelines.state import register_migration

register_migration(
    "0003_login_client",
    """
    ALTER TABLE login_attempts ADD COLUMN client TEXT;
    CREATE INDEX login_attempts_client_at ON login_attempts (client, at);
    """,
)
UNKNOWN_CLIENT = "-"
FAIL_REASONS = ("password", "unknown", "disabled")


@dataclass(frozen=True)
class Wait:
    until: dt.datetime
    scope: str  # address | account

    def seconds(self, at: dt.datetime) -> int:
        return max(1, int((self.until - at).total_seconds() + 0.999))

    def message(self, at: dt.datetime) -> str:
        s = self.seconds(at)
        when = f"{s} detik" if s < 120 else f"{(s + 59) // 60} menit"
        who = "dari alamat ini" if self.scope == "address" else "untuk nama pengguna ini"
        return (f"Terlalu banyak percobaan masuk yang gagal {who}. Coba lagi dalam {when}; jeda ini bertambah "
                "setiap kali salah lagi. Lupa kata sandi? Hubungi admin koordinator.")


def client_address(peer: str | None, headers: dict | None = None) -> str:
    """The client's address: the peer, or the proxy's X-Real-IP / last X-Forwarded-For hop when the peer
    is the local reverse proxy (a loopback address). Anything unparsable is the unknown client."""
    peer = (peer or "").strip()
    try:
        ip = ipaddress.ip_address(peer)
    except ValueError:
        return UNKNOWN_CLIENT
    if ip.is_loopback and headers:
        low = {str(k).lower(): str(v) for k, v in headers.items()}
        fwd = low.get("x-real-ip") or (low.get("x-forwarded-for") or "").split(",")[-1]
        try:
            return str(ipaddress.ip_address(fwd.strip()))
        except ValueError:
            pass
    return str(ip)


def _delay(k: int, threshold: int, step: float, cap: float) -> float:
    return min(cap, step * 2 ** min(k - threshold, 30))


def _fails(con, column: str, value: str, since: str) -> list[str]:
    last_ok = con.execute(f"SELECT max(at) FROM login_attempts WHERE {column} = ? AND ok = 1",  # noqa: S608
                          [value]).fetchone()[0]
    if last_ok and last_ok > since:
        since = last_ok
    return [r[0] for r in con.execute(
        f"SELECT at FROM login_attempts WHERE {column} = ? AND ok = 0 AND reason IN (?, ?, ?) AND at > ? "  # noqa: S608
        "ORDER BY at DESC", [value, *FAIL_REASONS, since]).fetchall()]


def _wait_for(fails: list[str], threshold: int, step: float, cap: float, at: dt.datetime, scope: str) -> Wait | None:
    if len(fails) < threshold:
        return None
    until = store.parse_ts(fails[0]) + dt.timedelta(seconds=_delay(len(fails), threshold, step, cap))
    return Wait(until, scope) if until > at else None


def _known(con, username: str, client: str, at: dt.datetime, days: float) -> bool:
    since = store.ts(at - dt.timedelta(days=days))
    return con.execute("SELECT 1 FROM login_attempts WHERE username = ? AND client = ? AND ok = 1 AND reason = 'ok' "
                       "AND at > ? LIMIT 1", [username, client, since]).fetchone() is not None


def wait(con, username: str, client: str, at: dt.datetime, s) -> Wait | None:
    """How long this client must wait before trying this name again (None: it may try now)."""
    cap = s.lock_minutes * 60
    since = store.ts(at - dt.timedelta(minutes=s.window_minutes) - dt.timedelta(seconds=cap))
    by_addr = _wait_for(_fails(con, "client", client, since), s.max_failures, s.address_step_seconds, cap, at,
                        "address")
    by_acct = None
    if not _known(con, username, client, at, s.known_client_days):
        acct_since = store.ts(at - dt.timedelta(minutes=s.window_minutes)
                              - dt.timedelta(seconds=s.account_max_delay_seconds))
        by_acct = _wait_for(_fails(con, "username", username, acct_since), s.account_max_failures,
                            s.account_step_seconds, s.account_max_delay_seconds, at, "account")
    found = [w for w in (by_addr, by_acct) if w is not None]
    return max(found, key=lambda w: w.until) if found else None


def failures_left(con, client: str, at: dt.datetime, s) -> int:
    since = store.ts(at - dt.timedelta(minutes=s.window_minutes))
    return s.max_failures - len(_fails(con, "client", client, since))
