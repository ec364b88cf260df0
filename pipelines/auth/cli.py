"""`monev user add|list|disable|enable|passwd` and `monev audit`."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Annotated

import typer

from pipelines.cli_common import ConfigDirOpt, DataDirOpt, fail, paths_from

user_app = typer.Typer(help="Akun dasbor: tambah, daftar, nonaktifkan/aktifkan, ganti kata sandi.",
                       no_args_is_help=True)

PasswordStdinOpt = Annotated[
    bool,
    typer.Option("--password-stdin", help="Baca kata sandi dari baris pertama stdin (untuk skrip), bukan dari prompt."),
]


def _operator() -> str:
    """Who runs the command (for the audit log): MONEV_USER, else the login name."""
    try:
        return os.environ.get("MONEV_USER") or getpass.getuser() or "operator"
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "operator"


def _read_password(from_stdin: bool, *, confirm: bool = True) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        pw = line.rstrip("\r\n")
        if not pw:
            raise fail("Tidak ada kata sandi di stdin.")
        return pw
    pw = typer.prompt("Kata sandi", hide_input=True, confirmation_prompt=False)
    if confirm:
        again = typer.prompt("Ulangi kata sandi", hide_input=True)
        if again != pw:
            raise fail("Kedua kata sandi tidak sama; tidak ada yang diubah.")
    return pw


def _table(headers: list[str], rows: list[list[str]]) -> str:
    cells = [headers, *rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def user_add(
    name: Annotated[str, typer.Argument(help="Nama pengguna (huruf kecil, angka, titik, mis. budi.santoso).")],
    role: Annotated[str, typer.Option("--role", help="pimpinan | koordinator | opd | evaluator | analis "
                                      "(instalasi provinsi: juga provinsi).")],
    department: Annotated[
        str | None, typer.Option("--department", help="OPD akun (wajib untuk peran opd): nama, singkatan atau alias.")
    ] = None,
    pemda: Annotated[
        str | None, typer.Option("--pemda", help="Instalasi provinsi: kode pemda akun (mis. 35.72; wajib untuk peran "
                                 "opd). Tanpa --pemda: akun tingkat provinsi (melihat semua pemda).")
    ] = None,
    password_stdin: PasswordStdinOpt = False,
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Tambah akun dasbor (kata sandi diminta, atau dari --password-stdin)."""
    from pipelines.auth.accounts import AuthError, add_user, check_account, check_username

    paths = paths_from(data_dir, config_dir)
    try:  # check everything that does not need the password first
        check_username(name)
        check_account(paths, role, department, pemda)
        pw = _read_password(password_stdin)
        acc = add_user(paths, name, role, pw, department=department, created_by=_operator(), pemda=pemda)
    except AuthError as exc:
        raise fail(str(exc)) from None
    where = (f" – {acc.department}" if acc.department else "") + (f" – pemda {acc.pemda}" if acc.pemda else "")
    typer.echo(f"Akun {acc.username} ({acc.role}{where}) dibuat.")


def user_list(data_dir: DataDirOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """Daftar akun dasbor (tanpa kata sandi)."""
    from pipelines.auth import list_users
    from pipelines.province import province_file

    paths = paths_from(data_dir, config_dir)
    accounts = list_users(paths)
    if not accounts:
        typer.echo("Belum ada akun. Tambah dengan `monev user add NAMA --role koordinator`.")
        return
    rows = [[a.username, a.role, a.department or "-", "aktif" if a.active else "nonaktif", a.created_at,
             a.last_login_at or "-"] for a in accounts]
    headers = ["Nama", "Peran", "OPD", "Status", "Dibuat", "Terakhir masuk"]
    if province_file(paths.data_dir).is_file():  # a province installation: which pemda (- = province level)
        rows = [[*r[:3], a.pemda or "provinsi", *r[3:]] for r, a in zip(rows, accounts, strict=True)]
        headers = [*headers[:3], "Pemda", *headers[3:]]
    typer.echo(_table(headers, rows))


def _set_active(name: str, active: bool, data_dir, config_dir) -> None:
    from pipelines.auth import AuthError, set_active

    try:
        acc = set_active(paths_from(data_dir, config_dir), name, active, by=_operator())
    except AuthError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Akun {acc.username} {'diaktifkan' if active else 'dinonaktifkan'}.")


def user_disable(name: Annotated[str, typer.Argument(help="Nama pengguna.")], data_dir: DataDirOpt = None,
                 config_dir: ConfigDirOpt = None) -> None:
    """Nonaktifkan akun (sesinya langsung berakhir)."""
    _set_active(name, False, data_dir, config_dir)


def user_enable(name: Annotated[str, typer.Argument(help="Nama pengguna.")], data_dir: DataDirOpt = None,
                config_dir: ConfigDirOpt = None) -> None:
    """Aktifkan kembali akun."""
    _set_active(name, True, data_dir, config_dir)


def user_passwd(name: Annotated[str, typer.Argument(help="Nama pengguna.")], password_stdin: PasswordStdinOpt = False,
                data_dir: DataDirOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """Ganti kata sandi akun (sesinya berakhir, kuncian dibuka)."""
    from pipelines.auth import AuthError, get_user, set_password

    paths = paths_from(data_dir, config_dir)
    try:
        get_user(paths, name)
        pw = _read_password(password_stdin)
        acc = set_password(paths, name, pw, by=_operator())
    except AuthError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Kata sandi {acc.username} diganti.")


def audit_cmd(
    limit: Annotated[int, typer.Option("--limit", min=1, help="Jumlah entri terbaru.")] = 50,
    user: Annotated[str | None, typer.Option("--user", help="Hanya entri pengguna ini.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="Hanya aksi ini (mis. login_failed, upload).")] = None,
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Log audit: masuk/gagal masuk, unggahan, pembangunan, bukti dukung, unduhan rapor (terbaru dulu)."""
    from pipelines.auth import ACTIONS, list_audit

    if action and action not in ACTIONS:
        raise fail(f"Aksi '{action}' tidak dikenal; pilih salah satu: {', '.join(ACTIONS)}.")
    entries = list_audit(paths_from(data_dir, config_dir), limit=limit, user=user, action=action)
    if not entries:
        typer.echo("Log audit kosong.")
        return
    rows = [[e.at, e.username, e.action_label, e.source, e.detail or ""] for e in entries]
    typer.echo(_table(["Waktu", "Pengguna", "Aksi", "Sumber", "Rincian"], rows))


def register(app: typer.Typer) -> None:
    user_app.command("add")(user_add)
    user_app.command("list")(user_list)
    user_app.command("disable")(user_disable)
    user_app.command("enable")(user_enable)
    user_app.command("passwd")(user_passwd)
    app.add_typer(user_app, name="user")
    app.command("audit")(audit_cmd)
