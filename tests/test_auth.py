"""Accounts, login, lock-out, sessions, audit log and safe upload names (pipelines.auth), and the CLI."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from typer.testing import CliRunner

from pipelines.auth import (
    AuthError,
    AuthSettings,
    add_user,
    audit,
    check_session,
    get_user,
    list_audit,
    list_users,
    lock_status,
    login,
    logout,
    set_active,
    set_password,
)
from pipelines.auth.uploads import UploadRejected, check_upload, safe_target
from pipelines.settings import Paths
from pipelines.state import state_path

PW = "kalimat-sandi-panjang-1"
T0 = dt.datetime(2026, 11, 2, 9, 0, 0)
S = AuthSettings()  # defaults: 8 h idle, 24 h max, 5 failures / 15 min, locked 15 min


@pytest.fixture()
def paths(tmp_path) -> Paths:
    return Paths.from_args(tmp_path / "data")


def actions(paths: Paths) -> list[str]:
    """Audit actions in time order, account changes (written at the real time) left out."""
    return [e.action for e in reversed(list_audit(paths, limit=None)) if not e.action.startswith("user_")]


# ---------------------------------------------------------------- accounts


def test_add_user_stores_a_salted_argon2_hash_only(paths):
    acc = add_user(paths, "Budi.Santoso", "koordinator", PW)
    add_user(paths, "ani", "koordinator", PW)
    assert acc.username == "budi.santoso" and acc.role == "koordinator" and acc.department is None and acc.active
    con = sqlite3.connect(state_path(paths))
    hashes = [r[0] for r in con.execute("SELECT password_hash FROM accounts ORDER BY username")]
    con.close()
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert hashes[0] != hashes[1]  # same password, different salt
    assert PW not in state_path(paths).read_bytes().decode("latin-1")
    assert [a.username for a in list_users(paths)] == ["ani", "budi.santoso"]


def test_opd_account_department_from_master_data(paths):
    acc = add_user(paths, "dishub", "opd", PW, department="dishub")  # short name -> canonical
    assert acc.department == "Dinas Perhubungan"
    assert acc.scope().department == "Dinas Perhubungan" and acc.scope().restricted
    with pytest.raises(AuthError, match="Mungkin maksudnya: Dinas Perhubungan"):
        add_user(paths, "x1", "opd", PW, department="Dinas Perhubngan")
    with pytest.raises(AuthError, match="wajib disertai --department"):
        add_user(paths, "x2", "opd", PW)
    with pytest.raises(AuthError, match="Hanya peran opd"):
        add_user(paths, "x3", "analis", PW, department="Dinas Perhubungan")
    with pytest.raises(AuthError, match="Peran 'walikota' tidak dikenal"):
        add_user(paths, "x4", "walikota", PW)
    assert [a.username for a in list_users(paths)] == ["dishub"]


@pytest.mark.parametrize(("name", "password", "message"), [
    ("../root", PW, "tidak sah"),
    ("a", PW, "tidak sah"),
    ("budi", "pendek", "minimal 10"),
    ("budi", "aaaaaaaaaaaa", "mudah ditebak"),
])
def test_bad_names_and_passwords_are_refused(paths, name, password, message):
    with pytest.raises(AuthError, match=message):
        add_user(paths, name, "analis", password)
    assert list_users(paths) == []


def test_duplicate_account_is_refused(paths):
    add_user(paths, "budi", "analis", PW)
    with pytest.raises(AuthError, match="sudah ada"):
        add_user(paths, "BUDI", "pimpinan", PW)
    assert get_user(paths, "budi").role == "analis"


# ---------------------------------------------------------------- login and lock-out


def test_wrong_password_and_unknown_name_get_the_same_answer(paths):
    add_user(paths, "budi", "analis", PW)
    wrong = login(paths, "budi", "salah-sandi-123", at=T0)
    unknown = login(paths, "siapa", PW, at=T0)
    assert not wrong.ok and not unknown.ok
    assert wrong.token is None and unknown.token is None
    assert wrong.message == unknown.message == "Nama pengguna atau kata sandi salah."
    ok = login(paths, "Budi", PW, at=T0)
    assert ok.ok and ok.token and ok.account.username == "budi"
    log = [e for e in list_audit(paths, limit=None) if e.action.startswith("login")]
    assert [(e.username, e.action, e.detail) for e in reversed(log)] == [
        ("budi", "login_failed", "kata sandi salah"),
        ("siapa", "login_failed", "nama pengguna tidak dikenal"),
        ("budi", "login_ok", None),
    ]
    assert get_user(paths, "budi").last_login_at == "2026-11-02 09:00:00"


def test_five_failures_from_one_address_delay_it_with_a_growing_wait(paths):
    add_user(paths, "budi", "analis", PW)
    for i in range(5):
        r = login(paths, "budi", f"salah-{i}", at=T0 + dt.timedelta(seconds=10 * i), client="10.0.0.9")
        assert not r.ok and r.locked_until is None
    assert r.failures_left == 0
    # the sixth try from that address waits (even with the right password, which is not checked)
    t5 = T0 + dt.timedelta(seconds=45)
    held = login(paths, "budi", PW, at=t5, client="10.0.0.9")
    assert not held.ok and held.token is None and held.locked_until == T0 + dt.timedelta(seconds=40 + 60)
    assert "Coba lagi dalam 55 detik" in held.message and "dari alamat ini" in held.message
    # a try while waiting does not extend the wait; after it, one more failure doubles it
    assert lock_status(paths, "budi", at=t5, client="10.0.0.9") == T0 + dt.timedelta(seconds=100)
    t6 = T0 + dt.timedelta(seconds=101)
    assert not login(paths, "budi", "salah-5", at=t6, client="10.0.0.9").ok
    assert lock_status(paths, "budi", at=t6, client="10.0.0.9") == t6 + dt.timedelta(seconds=120)
    # meanwhile the account's owner at another address logs in at once
    assert lock_status(paths, "budi", at=t6, client="10.0.0.20") is None
    assert login(paths, "budi", PW, at=t6, client="10.0.0.20").ok
    # and the first address may try again once its wait is over
    assert login(paths, "budi", PW, at=t6 + dt.timedelta(seconds=121), client="10.0.0.9").ok
    acts = actions(paths)
    assert acts.count("login_failed") == 6 and acts.count("login_locked") == 1 and acts[-1] == "login_ok"


def test_the_wait_grows_and_is_capped(paths):
    t = T0
    for i in range(9):  # 1, 2, 4, 8 minutes, then the cap of 15 (MONEV_LOGIN_LOCK_MINUTES)
        login(paths, "budi", "salah", at=t, client="10.0.0.9")
        until = lock_status(paths, "budi", at=t, client="10.0.0.9")
        if i < 4:
            assert until is None
        else:
            assert until - t == dt.timedelta(seconds=min(60 * 2 ** (i - 4), 15 * 60)), i
            t = until
    assert not login(paths, "budi", PW, at=t - dt.timedelta(seconds=1), client="10.0.0.9").ok


def test_many_addresses_guessing_one_name_delay_that_name_but_not_its_known_address(paths):
    add_user(paths, "walikota", "pimpinan", PW)
    assert login(paths, "walikota", PW, at=T0, client="10.1.1.1").ok  # the owner's usual address
    for i in range(10):
        login(paths, "walikota", "tebak-tebakan", at=T0 + dt.timedelta(minutes=1, seconds=i), client=f"203.0.113.{i}")
    t = T0 + dt.timedelta(minutes=1, seconds=20)
    fresh = login(paths, "walikota", PW, at=t, client="198.51.100.7")
    assert not fresh.ok and "untuk nama pengguna ini" in fresh.message
    assert fresh.locked_until - t <= dt.timedelta(seconds=300)  # a short delay, never a lock-out
    assert login(paths, "walikota", PW, at=t, client="10.1.1.1").ok


def test_failures_outside_the_window_or_before_a_success_do_not_count(paths):
    add_user(paths, "budi", "analis", PW)
    for i in range(4):
        login(paths, "budi", "salah", at=T0 + dt.timedelta(minutes=i))
    assert login(paths, "budi", PW, at=T0 + dt.timedelta(minutes=5)).ok  # resets the count
    for i in range(4):
        login(paths, "budi", "salah", at=T0 + dt.timedelta(minutes=6 + i))
    assert lock_status(paths, "budi", at=T0 + dt.timedelta(minutes=10)) is None
    # spread out: at most 4 within any 15 minutes
    login(paths, "budi", "salah", at=T0 + dt.timedelta(minutes=40))
    assert lock_status(paths, "budi", at=T0 + dt.timedelta(minutes=40)) is None
    assert login(paths, "budi", PW, at=T0 + dt.timedelta(minutes=41)).ok


def test_unknown_names_are_delayed_too(paths):
    for i in range(5):
        login(paths, "tidakada", "apa-saja-123", at=T0 + dt.timedelta(seconds=i))
    r = login(paths, "tidakada", "apa-saja-123", at=T0 + dt.timedelta(seconds=30))
    add_user(paths, "ada", "analis", PW)
    for i in range(5):
        login(paths, "ada", "apa-saja-123", at=T0 + dt.timedelta(seconds=i), client="10.9.9.9")
    r2 = login(paths, "ada", "apa-saja-123", at=T0 + dt.timedelta(seconds=30), client="10.9.9.9")
    assert r.locked_until is not None and r.message == r2.message  # the same answer: no enumeration


def test_client_address_behind_the_local_proxy():
    from pipelines.auth.throttle import client_address

    assert client_address("127.0.0.1", {"X-Real-IP": "203.0.113.5"}) == "203.0.113.5"
    assert client_address("127.0.0.1", {"X-Forwarded-For": "1.2.3.4, 203.0.113.6"}) == "203.0.113.6"
    assert client_address("192.0.2.1", {"X-Real-IP": "203.0.113.5"}) == "192.0.2.1"  # headers only from the proxy
    assert client_address(None) == "-" and client_address("bukan alamat") == "-"


def test_disabled_account_cannot_log_in_and_new_password_unlocks(paths):
    add_user(paths, "budi", "analis", PW)
    set_active(paths, "budi", False)
    r = login(paths, "budi", PW, at=T0)
    assert not r.ok and "dinonaktifkan" in r.message
    set_active(paths, "budi", True)
    for i in range(10):
        login(paths, "budi", "salah", at=T0 + dt.timedelta(minutes=1, seconds=i), client=f"10.0.0.{i}")
    assert lock_status(paths, "budi", at=T0 + dt.timedelta(minutes=1, seconds=20), client="10.0.1.1") is not None
    set_password(paths, "budi", "sandi-baru-yang-panjang")  # clears the delay of the name
    assert lock_status(paths, "budi", at=T0 + dt.timedelta(minutes=1, seconds=20), client="10.0.1.1") is None
    assert not login(paths, "budi", PW, at=T0 + dt.timedelta(minutes=3), client="10.0.1.1").ok
    assert login(paths, "budi", "sandi-baru-yang-panjang", at=T0 + dt.timedelta(minutes=3), client="10.0.1.1").ok


# ---------------------------------------------------------------- sessions


def test_session_expires_when_idle(paths):
    add_user(paths, "budi", "analis", PW)
    token = login(paths, "budi", PW, at=T0).token
    assert check_session(paths, token, at=T0 + dt.timedelta(hours=7, minutes=59)).ok  # use marks it
    # 7:59 after login the session was used, so 8 h idle counts from there
    assert check_session(paths, token, at=T0 + dt.timedelta(hours=15, minutes=58)).ok
    late = check_session(paths, token, at=T0 + dt.timedelta(hours=23, minutes=59))
    assert not late.ok and late.reason == "expired" and "tidak dipakai lebih dari 8 jam" in late.message
    # removed: a later check does not bring it back
    assert check_session(paths, token, at=T0 + dt.timedelta(hours=24)).reason == "missing"
    assert actions(paths)[-1] == "session_expired"


def test_session_ends_after_max_hours_even_when_used(paths):
    add_user(paths, "budi", "analis", PW)
    token = login(paths, "budi", PW, at=T0).token
    for h in range(1, 25):
        chk = check_session(paths, token, at=T0 + dt.timedelta(hours=h, seconds=1))
        if not chk.ok:
            break
    assert h == 24 and chk.reason == "expired" and "sejak masuk" in chk.message


def test_configurable_idle_timeout(paths, monkeypatch):
    monkeypatch.setenv("MONEV_SESSION_IDLE_MINUTES", "30")
    add_user(paths, "budi", "analis", PW)
    token = login(paths, "budi", PW, at=T0).token
    assert check_session(paths, token, at=T0 + dt.timedelta(minutes=29)).ok
    assert not check_session(paths, token, at=T0 + dt.timedelta(minutes=60)).ok


def test_disable_password_change_and_logout_end_sessions(paths):
    add_user(paths, "budi", "analis", PW)
    t1 = login(paths, "budi", PW, at=T0).token
    t2 = login(paths, "budi", PW, at=T0).token
    t3 = login(paths, "budi", PW, at=T0).token
    assert len({t1, t2, t3}) == 3
    logout(paths, t1, at=T0)
    assert check_session(paths, t1, at=T0).reason == "missing"
    assert check_session(paths, t2, at=T0).ok
    set_password(paths, "budi", "sandi-baru-yang-panjang")
    assert check_session(paths, t2, at=T0).reason == "missing"
    t4 = login(paths, "budi", "sandi-baru-yang-panjang", at=T0).token
    set_active(paths, "budi", False)
    assert not check_session(paths, t4, at=T0).ok
    assert not check_session(paths, "token-palsu", at=T0).ok
    assert not check_session(paths, None, at=T0).ok
    con = sqlite3.connect(state_path(paths))
    stored = [r[0] for r in con.execute("SELECT token_hash FROM auth_sessions")]
    con.close()
    assert t3 not in stored  # tokens are stored only as hashes


# ---------------------------------------------------------------- audit


def test_audit_entries_newest_first_and_clean(paths):
    audit(paths, "budi", "upload", "rekap_2026-07.xlsx (12 KB)", at=T0)
    audit(paths, "budi", "build", None, at=T0 + dt.timedelta(seconds=1))
    audit(paths, "ani", "scorecard_download", "rapor Dinas Perhubungan 2026\nhubungi 081234567890",
          at=T0 + dt.timedelta(seconds=2))
    log = list_audit(paths)
    assert [(e.username, e.action) for e in log] == [("ani", "scorecard_download"), ("budi", "build"),
                                                      ("budi", "upload")]
    assert log[0].detail == "rapor Dinas Perhubungan 2026 hubungi [telepon]"
    assert log[0].action_label == "Unduh rapor" and log[0].at == "2026-11-02 09:00:02"
    assert [e.action for e in list_audit(paths, user="budi", limit=1)] == ["build"]
    assert [e.username for e in list_audit(paths, action="upload")] == ["budi"]
    with pytest.raises(ValueError, match="tidak dikenal"):
        audit(paths, "budi", "hapus_semua")


# ---------------------------------------------------------------- safe uploads


@pytest.mark.parametrize(("raw", "safe"), [
    ("../../etc/cron.d/rekap.csv", "rekap.csv"),
    ("..\\..\\Windows\\system32\\lapor.xlsx", "lapor.xlsx"),
    ("/abs/path/ekspor.json", "ekspor.json"),
    ("....csv", "berkas.csv"),
    ("rekap\x00juli.csv", "rekapjuli.csv"),
    ("CON.csv", "_CON.csv"),
])
def test_path_traversal_names_are_sanitised(tmp_path, raw, safe):
    assert check_upload(raw, 10, types=("csv", "xlsx", "json"), max_bytes=100) == safe
    target = safe_target(tmp_path, raw)
    assert target.parent == tmp_path.resolve() and target.name == safe


def test_oversized_empty_and_wrong_type_uploads_are_refused():
    mb = 1024 * 1024
    assert check_upload("a.csv", 50 * mb, types=("csv",), max_bytes=50 * mb) == "a.csv"
    with pytest.raises(UploadRejected, match="melebihi batas 50 MB"):
        check_upload("a.csv", 50 * mb + 1, types=("csv",), max_bytes=50 * mb)
    with pytest.raises(UploadRejected, match="kosong"):
        check_upload("a.csv", 0, types=("csv",), max_bytes=mb)
    with pytest.raises(UploadRejected, match="berjenis .exe"):
        check_upload("rekap.csv.exe", 10, types=("csv",), max_bytes=mb)


# ---------------------------------------------------------------- CLI


def test_cli_user_and_audit_commands(paths):
    from pipelines.cli import app

    runner = CliRunner()
    d = ["--data-dir", str(paths.data_dir)]
    r = runner.invoke(app, ["user", "add", "dishub", "--role", "opd", "--department", "Dinas Perhubungan",
                            "--password-stdin", *d], input=PW + "\n", env={"MONEV_USER": "admin"})
    assert r.exit_code == 0, r.output
    assert "Akun dishub (opd – Dinas Perhubungan) dibuat." in r.output
    r = runner.invoke(app, ["user", "add", "xy", "--role", "opd", "--department", "Dinas Perhubngan",
                            "--password-stdin", *d], input=PW + "\n")
    assert r.exit_code == 1 and "Mungkin maksudnya: Dinas Perhubungan" in r.output
    r = runner.invoke(app, ["user", "add", "ani", "--role", "analis", *d], input=f"{PW}\n{PW}x\n")
    assert r.exit_code == 1 and "tidak sama" in r.output
    r = runner.invoke(app, ["user", "add", "ani", "--role", "analis", *d], input=f"{PW}\n{PW}\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["user", "list", *d])
    lines = r.output.splitlines()
    assert lines[0].split() == ["Nama", "Peran", "OPD", "Status", "Dibuat", "Terakhir", "masuk"]
    assert lines[2].split()[:3] == ["ani", "analis", "-"] and lines[3].split()[:2] == ["dishub", "opd"]
    assert runner.invoke(app, ["user", "disable", "ani", *d]).exit_code == 0
    assert not get_user(paths, "ani").active
    r = runner.invoke(app, ["user", "passwd", "dishub", "--password-stdin", *d], input="sandi-baru-yang-panjang\n")
    assert r.exit_code == 0 and login(paths, "dishub", "sandi-baru-yang-panjang").ok
    r = runner.invoke(app, ["audit", "--limit", "2", *d])
    body = r.output.splitlines()[2:]
    assert len(body) == 2 and "Masuk" in body[0] and "Ganti kata sandi" in body[1]
    r = runner.invoke(app, ["audit", "--action", "user_add", *d])
    assert sum("Tambah akun" in ln for ln in r.output.splitlines()) == 2 and "admin" in r.output
