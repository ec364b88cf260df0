"""`monev rating` and `monev evidence ...` commands."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from pipelines.cli_common import ConfigDirOpt, DataDirOpt, PemdaOpt, fail, pemda_paths

evidence_app = typer.Typer(
    help="Register bukti dukung penilaian: catat, daftar, verifikasi/tolak, kelengkapan.",
    no_args_is_help=True,
)

FormatOpt = Annotated[str, typer.Option("--format", help="table (default) atau json.")]


def _check_format(fmt_: str) -> str:
    f = fmt_.strip().lower()
    if f not in ("table", "json"):
        raise fail(f"Format '{fmt_}' tidak dikenal; pakai 'table' atau 'json'.")
    return f


def _default_user() -> str:
    try:
        return os.environ.get("MONEV_USER") or getpass.getuser() or "operator"
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "operator"


def _table(headers: list[str], rows: list[list[Any]], right: set[int] = frozenset()) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    sep = "  ".join("-" * w for w in widths)
    return "\n".join(ln.rstrip() for ln in [line(cells[0]), sep, *(line(r) for r in cells[1:])])


def _load_model(paths: Any, model_file: Path | None) -> Any:
    from pipelines.masterdata import ConfigError
    from pipelines.rating.model import load_model

    try:
        return load_model(model_file, config_dir=paths.config_dir)
    except ConfigError as exc:
        raise fail(str(exc)) from None


# ----------------------------------------------------------------- monev rating


def rating(
    year: Annotated[int, typer.Option("--year", help="Tahun penilaian, mis. 2025.")],
    period: Annotated[str | None, typer.Option(
        "--period", help="Periode data KPI: mis. 2025-Q3, 2025-S1, 2025-07 atau 2025-01-01..2025-06-30 (default: tahun penuh).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Tanggal data (TTTT-BB-HH); default: tanggal snapshot.")] = None,
    format: FormatOpt = "table",  # noqa: A002 - the option is called --format everywhere
    target: Annotated[str | None, typer.Option(
        "--target", help='Predikat tujuan untuk analisis "bagaimana jika", mis. "Sangat Baik" (default: satu tingkat di atas).')] = None,
    opd: Annotated[bool, typer.Option("--opd", help="Tampilkan juga nilai dan peringkat per OPD.")] = False,
    live_evidence: Annotated[bool, typer.Option(
        "--live-evidence", help="Pakai bukti dukung terkini dari register (pratinjau; belum masuk gudang data).")] = False,
    model_file: Annotated[Path | None, typer.Option("--model", help="Berkas model penilaian lain (YAML).")] = None,
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """Estimasi penilaian gaya Kemendagri: nilai indikator, dimensi, total, predikat, dan jalan ke predikat berikutnya."""
    import datetime as dt

    from pipelines.rating import evidence as ev_mod
    from pipelines.rating.scoring import rate_city, rate_departments
    from pipelines.rating.whatif import what_if
    from pipelines.warehouse import WarehouseMissing, open_readonly

    out_fmt = _check_format(format)
    paths = pemda_paths(data_dir, config_dir, pemda)
    model = _load_model(paths, model_file)
    as_of_d = None
    if as_of:
        try:
            as_of_d = dt.date.fromisoformat(as_of)
        except ValueError:
            raise fail(f"--as-of '{as_of}' bukan tanggal TTTT-BB-HH.") from None
    try:
        con = open_readonly(paths)
    except WarehouseMissing as exc:
        raise fail(str(exc)) from None
    try:
        live = None
        if live_evidence:
            live = [r if ev_mod.file_intact(paths, r) else ev_mod._with_file_ok(r, False)
                    for r in ev_mod.list_evidence(paths)]
        try:
            result = rate_city(con, year, period=period, model=model, as_of=as_of_d, evidence=live)
        except ValueError as exc:
            raise fail(str(exc)) from None
        if not live_evidence and ev_mod.warehouse_has_evidence_table(con):
            wh_fp = ev_mod.evidence_fingerprint(ev_mod.load_evidence(con)[0])
            if wh_fp != ev_mod.state_evidence_fingerprint(paths):
                result.notes.append(
                    "Register bukti dukung berubah sejak gudang data dibangun. Jalankan `monev run` agar perubahan "
                    "ikut dinilai (atau pakai --live-evidence untuk pratinjau)."
                )
        depts = None
        if opd:
            dfrom, dto = (dt.date.fromisoformat(result.period["from"]), dt.date.fromisoformat(result.period["to"]))
            depts = rate_departments(con, dfrom, dto, as_of=as_of_d, model=model)
    finally:
        con.close()

    tgt = target or _next_band(result, model)
    plan = None
    if tgt:
        try:
            plan = what_if(result, tgt)
        except ValueError as exc:
            raise fail(str(exc)) from None

    if out_fmt == "json":
        d = result.to_dict()
        d["what_if"] = plan.to_dict() if plan is not None else None
        if depts is not None:
            d["departments"] = [x.to_dict() for x in depts]
        typer.echo(json.dumps(d, ensure_ascii=False, indent=2, default=str))
        return
    typer.echo(render_table(result, plan, depts))


def _next_band(result: Any, model: Any) -> str | None:
    if result.total is None:
        return None
    names = [b.name for b in reversed(model.bands)]  # lowest first
    # Not assessed: aim one band above where the data alone would put the city (evidence comes first anyway).
    i = names.index(result.predikat if result.assessed else model.band_for(result.total))
    return names[i + 1] if i + 1 < len(names) else None


def render_table(result: Any, plan: Any = None, depts: list | None = None) -> str:
    """The rating as readable text (Bahasa Indonesia, Indonesian number formats)."""
    from pipelines import fmt

    p = result.period
    lines = [
        f"PENILAIAN PENGELOLAAN PENGADUAN – {result.city or 'Pemda'} – tahun {result.year}",
        f"{result.disclaimer} ({result.model['name']}, versi {result.model['version']})",
        f"Periode data: {fmt.date_long(p.get('from'))} – {fmt.date_long(p.get('to'))}, per {fmt.date_long(p.get('as_of'))}",
    ]
    if result.snapshot:
        lines.append(f"Snapshot: {result.snapshot.get('snapshot_id', '–')} · bukti dukung dari {result.evidence_source}")
    else:
        lines.append(f"Bukti dukung dari {result.evidence_source}")
    lines += ["", f"NILAI TOTAL: {fmt.number(result.total, 1)}    PREDIKAT: {result.predikat}", ""]
    lines.append(_table(
        ["Dimensi", "Bobot", "Nilai", "Poin", "Maks"],
        [[d.label, fmt.number(d.weight), fmt.number(d.score, 1), fmt.number(d.points, 1), fmt.number(d.max_points, 1)]
         for d in result.dimensions],
        right={1, 2, 3, 4},
    ))
    lines.append("")
    rows = []
    for d in result.dimensions:
        for i in d.indicators:
            rows.append([d.label, i.label, fmt.number(i.weight), i.value_text,
                         fmt.number(i.score, 1) if i.score is not None else i.status, fmt.number(i.points, 2)])
    lines.append(_table(["Dimensi", "Indikator", "Bobot", "Nilai KPI/bukti", "Skor", "Poin"], rows, right={2, 3, 4, 5}))
    lines += ["", "Penjelasan:"]
    for i in result.indicators:
        lines.append(f"- {i.label}: {i.explanation}")
    if result.notes:
        lines += ["", "Catatan:"] + [f"- {n}" for n in result.notes]
    if plan is not None:
        lines.append("")
        if not plan:
            lines.append(plan.note)
        else:
            need = result.inputs.model.band(plan.target).min - (result.total or 0)
            why = [f"kurang {fmt.number(need, 1)} poin"] if need > 0 else []
            if not result.assessed:
                why.append("perlu bukti dukung terverifikasi")
            lines.append(f'Menuju "{plan.target}" ({"; ".join(why)}):')
            for n, c in enumerate(plan, start=1):
                lines.append(f"{n:>2}. {c.sentence}")
            lines.append(f"Setelah semua perubahan: {fmt.number(plan.total_after, 1)} ({plan.predikat_after}). "
                         f"{plan.note}")
    if depts is not None:
        lines += ["", "NILAI PER OPD (indikator Output)"]
        lines.append(_table(
            ["Peringkat", "OPD", "Pengaduan", "Nilai", "Predikat"],
            [[d.rank or "–", d.department, fmt.number(d.in_scope), fmt.number(d.score, 1), d.predikat] for d in depts],
            right={0, 2, 3},
        ))
    lines += ["", f"* {result.disclaimer}."]
    return "\n".join(lines)


# ----------------------------------------------------------------- monev evidence


def _audit(paths, user: str, action: str, detail: str) -> None:
    """Evidence changes made on the command line go into the same audit log as the dashboard's."""
    from pipelines.auth.audit import audit

    audit(paths, user, action, detail, source="cli")


@evidence_app.command("add")
def evidence_add(
    indicator: Annotated[str, typer.Option("--indicator", help="Id indikator bukti dukung (lihat `monev evidence completeness`).")],
    year: Annotated[int, typer.Option("--year", help="Tahun penilaian yang didukung dokumen ini.")],
    doc_type: Annotated[str, typer.Option("--type", help="Jenis: Perwali, SK, SOP, undangan, notulen, daftar hadir, foto, laporan, surat edaran, lainnya.")],
    title: Annotated[str, typer.Option("--title", help="Judul dokumen, mis. 'SK Wali Kota No. 188/12/2025'.")],
    date: Annotated[str, typer.Option("--date", help="Tanggal dokumen (TTTT-BB-HH atau HH/BB/TTTT).")],
    file: Annotated[Path, typer.Option("--file", help="Berkas dokumen (PDF, JPG/PNG, DOCX/XLSX, ...).")],
    by: Annotated[str | None, typer.Option("--by", help="Nama pencatat (default: pengguna sistem).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Catatan tambahan.")] = None,
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """Catat bukti dukung baru (status: diajukan)."""
    from pipelines import fmt
    from pipelines.rating.evidence import EvidenceError, add_evidence

    paths = pemda_paths(data_dir, config_dir, pemda)
    model = _load_model(paths, None)
    try:
        rec = add_evidence(paths, indicator_id=indicator, year=year, doc_type=doc_type, title=title, doc_date=date,
                           file=file, recorded_by=by or _default_user(), note=note, model=model)
    except EvidenceError as exc:
        raise fail(str(exc)) from None
    _audit(paths, rec.recorded_by, "evidence_add", f"{rec.label}: {rec.title} ({rec.indicator_id}, {rec.year})")
    typer.echo(f"{rec.label} dicatat: {rec.title} ({rec.doc_type}, {fmt.date_long(rec.doc_date)}) untuk "
               f"'{rec.indicator_id}' tahun {rec.year}. Status: {rec.status}; berkas {rec.file_name} "
               f"(sha256 {rec.sha256[:12]}…).")
    typer.echo(f"Verifikasi dengan: monev evidence verify {rec.evidence_id}")


@evidence_app.command("list")
def evidence_list(
    year: Annotated[int | None, typer.Option("--year", help="Hanya tahun penilaian ini.")] = None,
    indicator: Annotated[str | None, typer.Option("--indicator", help="Hanya indikator ini.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="diajukan, diverifikasi atau ditolak.")] = None,
    format: FormatOpt = "table",  # noqa: A002
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """Daftar bukti dukung di register."""
    from pipelines import fmt
    from pipelines.rating.evidence import STATUSES, list_evidence

    out_fmt = _check_format(format)
    if status and status not in STATUSES:
        raise fail(f"Status '{status}' tidak dikenal; pilih: {', '.join(STATUSES)}.")
    recs = list_evidence(pemda_paths(data_dir, config_dir, pemda), year=year, indicator_id=indicator, status=status)
    if out_fmt == "json":
        typer.echo(json.dumps([r.to_dict() for r in recs], ensure_ascii=False, indent=2))
        return
    if not recs:
        typer.echo("Belum ada bukti dukung" + (f" untuk tahun {year}" if year else "") + ". Catat dengan `monev evidence add`.")
        return
    typer.echo(_table(
        ["Id", "Tahun", "Indikator", "Jenis", "Tanggal", "Judul", "Status", "Keterangan"],
        [[r.label, r.year, r.indicator_id, r.doc_type, fmt.date_short(r.doc_date), r.title[:60], r.status,
          (r.status_reason or "") if r.status == "ditolak" else (f"oleh {r.status_by}" if r.status_by else "")]
         for r in recs],
    ))


@evidence_app.command("verify")
def evidence_verify(
    evidence_id: Annotated[int, typer.Argument(help="Id bukti dukung (angka, mis. 12 untuk BD-0012).")],
    reject: Annotated[bool, typer.Option("--reject", help="Tolak, bukan verifikasi (wajib --reason).")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Alasan penolakan.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Nama pemverifikasi (default: pengguna sistem).")] = None,
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """Verifikasi bukti dukung yang diajukan, atau tolak dengan alasan."""
    from pipelines.rating.evidence import EvidenceError, reject_evidence, verify_evidence

    paths = pemda_paths(data_dir, config_dir, pemda)
    who = by or _default_user()
    try:
        if reject:
            if not reason:
                raise fail("Penolakan wajib disertai alasan: --reason \"...\".")
            rec = reject_evidence(paths, evidence_id, by=who, reason=reason)
        else:
            rec = verify_evidence(paths, evidence_id, by=who)
    except EvidenceError as exc:
        raise fail(str(exc)) from None
    _audit(paths, who, "evidence_reject" if reject else "evidence_verify",
           f"{rec.label}: {reason}" if reject else rec.label)
    typer.echo(f"{rec.label} sekarang berstatus '{rec.status}'" + (f": {rec.status_reason}" if rec.status_reason else "")
               + ". Jalankan `monev run` agar masuk ke penilaian.")


@evidence_app.command("completeness")
def evidence_completeness(
    year: Annotated[int, typer.Option("--year", help="Tahun penilaian.")],
    format: FormatOpt = "table",  # noqa: A002
    data_dir: DataDirOpt = None,
    config_dir: ConfigDirOpt = None,
    pemda: PemdaOpt = None,
) -> None:
    """Kelengkapan bukti dukung per indikator untuk satu tahun: apa yang masih kurang."""
    from pipelines import fmt
    from pipelines.rating.evidence import completeness, list_evidence

    out_fmt = _check_format(format)
    paths = pemda_paths(data_dir, config_dir, pemda)
    model = _load_model(paths, None)
    rows = completeness(model, list_evidence(paths), year)
    if out_fmt == "json":
        typer.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    typer.echo(f"Kelengkapan bukti dukung tahun {year} ({model.disclaimer})")
    typer.echo(_table(
        ["Indikator", "Status", "Skor", "Terverifikasi", "Perlu", "Diajukan", "Ditolak", "Yang kurang"],
        [[f"{r.indicator_id} – {r.label}", r.status, fmt.number(r.score, 1), r.units, r.required_count,
          len(r.pending_ids), len(r.rejected_ids), r.missing or "–"] for r in rows],
        right={2, 3, 4, 5, 6},
    ))


def register(app: typer.Typer) -> None:
    """Add `monev rating` and `monev evidence` to the CLI."""
    app.command("rating")(rating)
    app.add_typer(evidence_app, name="evidence")
