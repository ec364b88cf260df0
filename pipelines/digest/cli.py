"""`monev digest`: the weekly worklists by e-mail (and the WhatsApp texts), see docs/digest.md."""

from __future__ import annotations

from typing import Annotated

import typer

from pipelines.cli_common import ConfigDirOpt, DataDirOpt, PemdaOpt, fail, pemda_paths


def digest_cmd(
    minggu: Annotated[str | None, typer.Option("--minggu", help="Minggu ISO, mis. 2026-W49 (bawaan: minggu ini).")] = None,
    tanggal: Annotated[str | None, typer.Option("--tanggal", help="Satu tanggal data (YYYY-MM-DD) sebagai gantinya.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Hanya tampilkan apa yang akan dikirim ke siapa.")] = False,
    whatsapp: Annotated[bool, typer.Option("--whatsapp", help="Cetak teks WhatsApp per OPD (tanpa mengirim).")] = False,
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """Kirim daftar kerja (lewat batas, segera jatuh tempo, menunggu tanggapan, dibuka kembali) per e-mail."""
    from pipelines.auth.cli import _operator
    from pipelines.digest import mail
    from pipelines.digest.run import DigestError, build_plan, date_period, this_week, week_period
    from pipelines.kpi import KpiError
    from pipelines.masterdata import ConfigError
    from pipelines.warehouse import WarehouseMissing, open_readonly

    if minggu and tanggal:
        raise fail("Pilih salah satu: --minggu atau --tanggal.")
    paths = pemda_paths(data_dir, config_dir, pemda)
    try:
        settings = mail.load_settings(paths.config_dir)
        period = week_period(minggu) if minggu else (date_period(tanggal) if tanggal else this_week())
        with open_readonly(paths) as con:
            plan = build_plan(con, paths, settings, period, exact=bool(tanggal))
    except (DigestError, KpiError, ConfigError, WarehouseMissing) as exc:
        raise fail(str(exc)) from None
    if whatsapp:
        _print_whatsapp(plan)
        return
    if dry_run:
        _print_plan(paths, plan)
        return
    _send(paths, plan, settings, _operator())


def _print_whatsapp(plan) -> None:
    if not plan.whatsapp:
        typer.echo("Tidak ada OPD dengan daftar kerja.")
    for dep, text in plan.whatsapp.items():
        typer.echo(f"--- {dep}\n{text}\n")


def _print_plan(paths, plan) -> None:
    from pipelines import fmt
    from pipelines.digest.run import mark_sent

    mark_sent(paths, plan)
    typer.echo(f"Daftar kerja {plan.period.label}, data per {fmt.date_long(plan.as_of)} (uji coba: tidak ada yang "
               "dikirim).")
    if plan.note:
        typer.echo(plan.note)
    for m in plan.messages:
        state = "sudah terkirim" if m.already_sent else "akan dikirim"
        att = " + lampiran PDF" if m.attachment else ""
        typer.echo(f"- [{state}] {m.unit_label} → {m.recipient_label} <{m.recipient}>: {m.subject}{att}")
    for dep in plan.unreachable:
        typer.echo(f"- [tidak terkirim] {dep}: ada daftar kerja, tetapi tidak ada e-mail pejabat penghubung di "
                   "register (`monev pejabat add`).")
    if not plan.messages and not plan.unreachable:
        typer.echo("Tidak ada pesan: tidak ada OPD dengan daftar kerja dan tidak ada penerima koordinator/pimpinan.")


def _send(paths, plan, settings, user: str) -> None:
    from pipelines import fmt
    from pipelines.digest.run import send_plan

    def show(m, err) -> None:
        typer.echo(f"- {'GAGAL' if err else 'terkirim'}: {m.unit_label} → {m.recipient_label}")

    res = send_plan(paths, plan, settings.smtp, user=user, on_message=show)
    total = len(plan.messages)
    typer.echo(f"Daftar kerja {plan.period.label}, data per {fmt.date_long(plan.as_of)}: {len(res.sent)} terkirim, "
               f"{len(res.skipped)} sudah terkirim sebelumnya, {len(res.failed)} gagal (dari {total} pesan).")
    if plan.unreachable:
        typer.echo(f"{len(plan.unreachable)} OPD dengan daftar kerja tanpa e-mail pejabat penghubung: "
                   + ", ".join(plan.unreachable) + ".")
    if res.failed:
        first = res.failed[0][1]
        raise fail(f"{len(res.failed)} dari {total} pesan gagal dikirim. {first} Yang sudah terkirim tidak akan "
                   "dikirim ulang: jalankan perintah yang sama lagi setelah masalahnya diatasi, maka hanya pesan yang "
                   "belum terkirim yang dikirim. Rincian ada di `monev audit --action digest_failed`.")


def register(app: typer.Typer) -> None:
    app.command("digest")(digest_cmd)
