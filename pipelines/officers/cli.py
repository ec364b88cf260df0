"""`monev pejabat add|list|update|remove|status`: the officers' register (pejabat penghubung) on the server."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from pipelines.auth.cli import _operator, _table
from pipelines.cli_common import ConfigDirOpt, DataDirOpt, PemdaOpt, fail, pemda_paths

pejabat_app = typer.Typer(
    help="Register pejabat penghubung OPD (nama, jabatan, e-mail, WhatsApp, nomor dan tanggal SK).",
    no_args_is_help=True,
)

OpdOpt = Annotated[str, typer.Option("--opd", help="OPD: nama resmi, singkatan atau alias.")]
NameOpt = Annotated[str, typer.Option("--nama", help="Nama pejabat penghubung.")]
PositionOpt = Annotated[str, typer.Option("--jabatan", help="Jabatan (mis. Kasubbag Umum dan Kepegawaian).")]
EmailOpt = Annotated[str | None, typer.Option("--email", help="Alamat e-mail (tujuan daftar kerja mingguan).")]
WaOpt = Annotated[str | None, typer.Option("--wa", help="Nomor WhatsApp (mis. 0812-3456-7890).")]
SkNoOpt = Annotated[str, typer.Option("--sk-nomor", help="Nomor SK Wali Kota yang menunjuknya.")]
SkDateOpt = Annotated[str, typer.Option("--sk-tanggal", help="Tanggal SK (YYYY-MM-DD).")]


def pejabat_add(opd: OpdOpt, nama: NameOpt, jabatan: PositionOpt, sk_nomor: SkNoOpt, sk_tanggal: SkDateOpt,
                email: EmailOpt = None, wa: WaOpt = None, data_dir: DataDirOpt = None,
                config_dir: ConfigDirOpt = None, pemda: PemdaOpt = None) -> None:
    """Tambah pejabat penghubung sebuah OPD."""
    from pipelines.officers import OfficerError, add_officer

    try:
        o = add_officer(pemda_paths(data_dir, config_dir, pemda), opd, name=nama, position=jabatan, email=email,
                        whatsapp=wa, sk_number=sk_nomor, sk_date=sk_tanggal, by=_operator(), source="cli")
    except OfficerError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"{o.label} dicatat: {o.name} ({o.position}), {o.department}, SK {o.sk_number}.")


def pejabat_list(opd: Annotated[str | None, typer.Option("--opd", help="Hanya OPD ini.")] = None,
                 data_dir: DataDirOpt = None, config_dir: ConfigDirOpt = None, pemda: PemdaOpt = None) -> None:
    """Daftar pejabat penghubung dengan kontaknya (data pribadi: jangan disebarkan)."""
    from pipelines import fmt
    from pipelines.officers import OfficerError, list_officers
    from pipelines.officers.register import _department

    paths = pemda_paths(data_dir, config_dir, pemda)
    try:
        dep = _department(opd, paths.config_dir) if opd else None
    except OfficerError as exc:
        raise fail(str(exc)) from None
    rows = [[o.label, o.department, o.name, o.position, o.email or "-", o.whatsapp or "-", o.sk_number,
             fmt.date_long(o.sk_date)] for o in list_officers(paths, dep)]
    if not rows:
        typer.echo("Register pejabat penghubung masih kosong. Tambah dengan `monev pejabat add --opd ...`.")
        return
    typer.echo(_table(["No.", "OPD", "Nama", "Jabatan", "E-mail", "WhatsApp", "Nomor SK", "Tanggal SK"], rows))


def pejabat_update(
    officer: Annotated[str, typer.Argument(help="Nomor pejabat (PP-0003 atau 3).")],
    opd: Annotated[str | None, typer.Option("--opd", help="Pindah ke OPD ini.")] = None,
    nama: Annotated[str | None, typer.Option("--nama")] = None,
    jabatan: Annotated[str | None, typer.Option("--jabatan")] = None,
    email: Annotated[str | None, typer.Option("--email", help="'' mengosongkan.")] = None,
    wa: Annotated[str | None, typer.Option("--wa", help="'' mengosongkan.")] = None,
    sk_nomor: Annotated[str | None, typer.Option("--sk-nomor", help="Nomor SK baru (mis. saat SK diperbarui).")] = None,
    sk_tanggal: Annotated[str | None, typer.Option("--sk-tanggal", help="Tanggal SK baru (YYYY-MM-DD).")] = None,
    data_dir: DataDirOpt = None, config_dir: ConfigDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """Ubah data pejabat penghubung (mis. SK diperbarui, nomor WhatsApp baru)."""
    from pipelines.officers import OfficerError, update_officer

    try:
        o = update_officer(pemda_paths(data_dir, config_dir, pemda), _officer_id(officer), by=_operator(), source="cli",
                           department=opd, name=nama, position=jabatan, email=email, whatsapp=wa,
                           sk_number=sk_nomor, sk_date=sk_tanggal)
    except OfficerError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"{o.label} ({o.department}) diubah.")


def pejabat_remove(officer: Annotated[str, typer.Argument(help="Nomor pejabat (PP-0003 atau 3).")],
                   data_dir: DataDirOpt = None, config_dir: ConfigDirOpt = None, pemda: PemdaOpt = None) -> None:
    """Hapus pejabat penghubung dari register (mis. pindah tugas)."""
    from pipelines.officers import OfficerError, remove_officer

    try:
        o = remove_officer(pemda_paths(data_dir, config_dir, pemda), _officer_id(officer), by=_operator(), source="cli")
    except OfficerError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"{o.label} ({o.department}) dihapus dari register.")


def pejabat_status(
    tanggal: Annotated[str | None, typer.Option("--tanggal", help="Tanggal acuan (YYYY-MM-DD; bawaan hari ini).")] = None,
    data_dir: DataDirOpt = None, config_dir: ConfigDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """OPD tanpa pejabat penghubung atau dengan SK lebih dari setahun (tanpa data kontak)."""
    from pipelines import fmt
    from pipelines.masterdata import load_master_data
    from pipelines.officers import list_officers, register_flags

    paths = pemda_paths(data_dir, config_dir, pemda)
    try:
        ref = dt.date.fromisoformat(tanggal) if tanggal else dt.date.today()
    except ValueError:
        raise fail(f"Tanggal '{tanggal}' tidak dikenali; tulis sebagai YYYY-MM-DD.") from None
    flags = register_flags(load_master_data(paths.config_dir).department_names, list_officers(paths), ref)
    bad = [f for f in flags if f.flagged]
    typer.echo(f"Register pejabat penghubung per {fmt.date_long(ref)}: {len(flags) - len(bad)} dari {len(flags)} OPD "
               "punya pejabat dengan SK yang berlaku.")
    if bad:
        typer.echo(_table(["OPD", "Catatan"], [[f.department, f.message] for f in bad]))


def _officer_id(raw: str) -> int:
    s = raw.strip().upper().removeprefix("PP-")
    if not s.isdigit():
        raise fail(f"Nomor pejabat '{raw}' tidak dikenali; tulis seperti PP-0003 atau 3.")
    return int(s)


def register(app: typer.Typer) -> None:
    pejabat_app.command("add")(pejabat_add)
    pejabat_app.command("list")(pejabat_list)
    pejabat_app.command("update")(pejabat_update)
    pejabat_app.command("remove")(pejabat_remove)
    pejabat_app.command("status")(pejabat_status)
    app.add_typer(pejabat_app, name="pejabat")
