"""Findings and recommendations written from the numbers of a scorecard.

Each sentence carries the numbers it rests on (which step is late and by how
much, which categories rise, the overdue backlog), all taken from the KPI and
rating results already in ``ScorecardData``; nothing is recomputed here except
simple differences and shares for the wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipelines import fmt
from pipelines.kpi import derived, rules_text
from pipelines.scorecard.data import CityContext
from pipelines.scorecard.model import ScorecardData

STEPS = (  # (key, name in a sentence, sla_limits step)
    ("verification", "verifikasi", "verification"),
    ("response", "tanggapan pertama", "response"),
    ("resolution", "penyelesaian", "resolution"),
)
MAX_CATEGORIES = 3
MAX_PLAN = 4


def _n(x: Any) -> str:
    return fmt.number(x)


def _pct(part: float, whole: float) -> str:
    return fmt.percent(derived.share(part, whole))


def _most_overdue(ctx: CityContext, n: int = 3) -> list[Mapping[str, Any]]:
    """The OPD with the largest overdue backlog (named fields of the KPI result, never table positions)."""
    rows = [r for r in ctx.kpi.get("by_department") or [] if r.get("backlog_overdue")]
    return sorted(rows, key=lambda r: (-int(r["backlog_overdue"]), str(r["department"])))[:n]


def _in_band(ctx: CityContext, band: str) -> list[str]:
    """OPD (in league order) whose model predikat is ``band``."""
    ratings = sorted(ctx.dept_ratings.values(), key=lambda d: (d.rank is None, d.rank or 0, d.department))
    return [d.department for d in ratings if d.predikat == band]


def _steps(k: Mapping[str, Any], limits: Mapping[str, int], scope: str) -> list[dict[str, Any]]:
    out = []
    for key, name, lim in STEPS:
        if scope == "opd" and key == "verification":
            continue  # verification is the Admin Koordinator's step, not the OPD's
        on, late = int(k.get(f"{key}_on_time") or 0), int(k.get(f"{key}_late") or 0)
        if on + late == 0:
            continue
        out.append({"key": key, "name": name, "limit": limits.get(lim), "on_time": on, "late": late,
                    "total": on + late, "rate": k.get(f"on_time_{key}_rate")})
    return out


def _limit_text(step: Mapping[str, Any]) -> str:
    if step["key"] == "resolution":
        return f"{step['limit']} HK (atau batas kategorinya)" if step["limit"] else "batas kategorinya"
    return f"{step['limit']} HK"


def _rising(k: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rows = [r for r in k.get("category_trend") or [] if r.get("trend") == "naik" and (r.get("change") or 0) > 0]
    return sorted(rows, key=lambda r: (-r["change"], str(r["category"])))[:MAX_CATEGORIES]


def _falling(k: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rows = [r for r in k.get("category_trend") or [] if r.get("trend") == "turun" and (r.get("change") or 0) < 0]
    return sorted(rows, key=lambda r: (r["change"], str(r["category"])))[:MAX_CATEGORIES]


def _cat_list(rows: list[Mapping[str, Any]]) -> str:
    return ", ".join(
        f"{r['category']} {_n(r['received_previous'])} → {_n(r['received'])} ({fmt.signed(r['change'], 0)})"
        for r in rows
    )


def _oldest_bucket(data: ScorecardData) -> tuple[str, int] | None:
    for lab, n in reversed(data.aging):
        if n > 0:
            return lab, n
    return None


def _bucket_words(label: str) -> str:
    lab = label.strip()
    if lab.startswith(">"):
        return f"lebih dari {lab[1:].strip()} HK"
    return f"{lab} HK"


# ----------------------------------------------------------------- findings


def findings_for(data: ScorecardData, ctx: CityContext) -> list[str]:
    """Short findings (Bahasa Indonesia), each with its numbers: volume, the late step, durations,
    categories, backlog, rating and league, satisfaction (in that order)."""
    out: list[str] = []
    for part in (_volume, _late_steps, _durations, _category_changes, _backlog, _rating_and_league, _satisfaction):
        part(data, ctx, out)
    return out


def _volume(data: ScorecardData, ctx: CityContext, out: list[str]) -> None:
    """Findings: volume."""
    k = data.kpi
    p, prev = data.period, data.comparison_label
    prev_received = next((m.previous for m in data.metrics if m.key == "received"), None)
    received = int(k["received"])
    if received == 0:
        who = "OPD ini" if data.scope == "opd" else data.unit
        tail = f" ({prev}: {_n(prev_received)} pengaduan)" if prev_received is not None else ""
        out.append(f"Tidak ada pengaduan untuk {who} pada {p.label}{tail}.")
    else:
        text = f"Pada {p.label} masuk {_n(received)} pengaduan, {_n(k['in_scope'])} di antaranya dalam cakupan"
        if prev_received:
            change = received - prev_received
            direction = "naik" if change > 0 else ("turun" if change < 0 else "sama dengan")
            text += "; " + (f"{direction} {_n(abs(change))} ({_pct(abs(change), prev_received)}) dibanding "
                            if change else f"{direction} ") + f"{prev} ({_n(prev_received)})"
        elif prev_received == 0:
            text += f"; {prev} tidak ada pengaduan"
        out.append(text + ".")


def _late_steps(data: ScorecardData, ctx: CityContext, out: list[str]) -> None:
    """Findings: which step is late."""
    k = data.kpi
    steps = _steps(k, data.limits, data.scope)
    late_steps = [s for s in steps if s["late"] > 0]
    if late_steps:
        worst = min(late_steps, key=lambda s: (s["rate"] if s["rate"] is not None else 1.0, -s["late"]))
        others = [s for s in late_steps if s is not worst]
        text = (f"Tahap yang paling sering terlambat: {worst['name']} — {_n(worst['late'])} dari "
                f"{_n(worst['total'])} pengaduan ({_pct(worst['late'], worst['total'])}) melewati batas "
                f"{_limit_text(worst)}")
        if others:
            text += "; " + "; ".join(
                f"{s['name']}: {_n(s['late'])} dari {_n(s['total'])} ({_pct(s['late'], s['total'])}) terlambat"
                for s in others
            )
        out.append(text + ".")
    elif steps:
        out.append("Semua tahap yang sudah dapat dinilai tepat waktu: " + "; ".join(
            f"{s['name']} {_n(s['on_time'])} dari {_n(s['total'])}" for s in steps) + ".")


def _durations(data: ScorecardData, ctx: CityContext, out: list[str]) -> None:
    """Findings: durations."""
    k = data.kpi
    rm, rp = k.get("response_days_median"), k.get("response_days_p90")
    sm, sp = k.get("resolution_days_median"), k.get("resolution_days_p90")
    if rm is not None or sm is not None:
        parts = []
        if rm is not None:
            parts.append(f"separuh pengaduan ditanggapi dalam {fmt.days(rm)} atau kurang (persentil 90: "
                         f"{fmt.days(rp)}, batas {data.limits['response']} HK)")
        if sm is not None:
            parts.append(f"separuh yang selesai diselesaikan dalam {fmt.days(sm)} atau kurang (persentil 90: "
                         f"{fmt.days(sp)})")
        out.append("Lama penanganan: " + "; ".join(parts) + ".")


def _category_changes(data: ScorecardData, ctx: CityContext, out: list[str]) -> None:
    """Findings: categories."""
    k = data.kpi
    prev = data.comparison_label
    rising, falling = _rising(k), _falling(k)
    if rising:
        out.append(f"Kategori yang naik dibanding {prev}: {_cat_list(rising)}.")
    if falling:
        out.append(f"Kategori yang turun: {_cat_list(falling)}.")


def _backlog(data: ScorecardData, ctx: CityContext, out: list[str]) -> None:
    """Findings: backlog."""
    k = data.kpi
    bo, bd = int(k["backlog_open"]), int(k["backlog_overdue"])
    if bo:
        text = (f"Per {fmt.date_long(data.as_of)} ada {_n(bo)} pengaduan belum selesai (dari semua periode), "
                f"{_n(bd)} di antaranya ({_pct(bd, bo)}) lewat batas waktu penyelesaian")
        ob = _oldest_bucket(data)
        if ob and bd:
            text += f"; {_n(ob[1])} berumur {_bucket_words(ob[0])}"
        out.append(text + ".")
    else:
        out.append(f"Per {fmt.date_long(data.as_of)} tidak ada tunggakan pengaduan.")


def _rating_and_league(data: ScorecardData, ctx: CityContext, out: list[str]) -> None:
    """Findings: rating and league."""
    k = data.kpi
    r = data.rating
    if data.scope == "opd":
        if r.score is None:
            out.append(
                f"Nilai OPD: data tidak cukup ({_n(k['in_scope'])} pengaduan dalam cakupan, minimal "
                f"{rules_text.min_sample(k)}); OPD ini tidak diberi peringkat."
            )
        else:
            out.append(f"Nilai OPD {r.score_text} (predikat {r.predikat}), peringkat {r.rank} dari {r.ranked} "
                       "OPD yang dinilai.")
    else:
        worst = _most_overdue(ctx) if data.departments is not None else []
        if worst:
            out.append("OPD dengan tunggakan lewat batas terbanyak: "
                       + ", ".join(f"{r['department']} ({_n(r['backlog_overdue'])} dari {_n(r['backlog_open'])}, "
                                   f"{fmt.percent(derived.overdue_share(r))})" for r in worst) + ".")
        kurang = _in_band(ctx, _lowest_band(ctx)) if data.departments is not None else []
        if kurang:
            out.append(f"{_n(len(kurang))} OPD berpredikat {_lowest_band(ctx)}: {', '.join(kurang)}.")
        if r.assessed:
            out.append(f"Estimasi penilaian kota: {r.score_text} (predikat {r.predikat}).")
        else:
            out.append(f"Estimasi penilaian kota: {r.score_text}, namun predikat 'Tidak dinilai' karena belum ada "
                       "bukti dukung terverifikasi untuk tahun penilaian.")


def _satisfaction(data: ScorecardData, ctx: CityContext, out: list[str]) -> None:
    """Findings: satisfaction."""
    k = data.kpi
    if k.get("satisfaction_count"):
        out.append(f"Rata-rata kepuasan pelapor {fmt.number(k['satisfaction_mean'], 2)} dari 5 "
                   f"({_n(k['satisfaction_count'])} penilaian).")


def _lowest_band(ctx: CityContext) -> str:
    return ctx.model.bands[-1].name


# ----------------------------------------------------------------- recommendations


def _backlog_recommendation(data: ScorecardData, ctx: CityContext, out: list[str]) -> None:
    bd = int(data.kpi["backlog_overdue"])
    if not bd:
        return
    ob = _oldest_bucket(data)
    text = f"Tuntaskan {_n(bd)} pengaduan yang lewat batas waktu penyelesaian"
    if ob:
        text += f", dimulai dari yang tertua ({_n(ob[1])} tunggakan berumur {_bucket_words(ob[0])})"
    text += "; daftarnya terlampir"
    if data.scope == "kota" and data.departments is not None:
        top = _most_overdue(ctx)
        if top:
            text += " (terbanyak di " + ", ".join(f"{r['department']}: {_n(r['backlog_overdue'])}"
                                                  for r in top) + ")"
    out.append(text + ".")


def recommendations_for(data: ScorecardData, ctx: CityContext) -> list[str]:
    """Recommendations (Bahasa Indonesia) that follow from the numbers, most urgent first."""
    k = data.kpi
    out: list[str] = []
    targets = {ind.data.kpi: ind.data.target for ind in ctx.model.indicators
               if ind.data is not None and not ind.data.compare}

    # backlog first: it is what an evaluator asks about
    _backlog_recommendation(data, ctx, out)

    limits = data.limits
    resp_late = int(k.get("response_late") or 0)
    rate = k.get("on_time_response_rate")
    if resp_late and (rate is None or rate < targets.get("on_time_response_rate", 1.0)):
        out.append(
            f"Percepat tanggapan pertama: {_n(resp_late)} pengaduan ditanggapi lewat {limits['response']} HK "
            f"atau belum ditanggapi padahal batasnya lewat (tepat waktu {fmt.percent(rate)}, target "
            f"{fmt.percent(targets.get('on_time_response_rate', 1.0), 0)}). Pantau pengaduan baru setiap hari kerja "
            "dan tetapkan admin penghubung pengganti saat berhalangan."
        )
    in_scope, responded = int(k["in_scope"]), int(k["responded"])
    rr = k.get("response_rate")
    if in_scope and responded < in_scope and (rr is None or rr < targets.get("response_rate", 1.0)):
        out.append(
            f"Tanggapi {_n(in_scope - responded)} pengaduan periode ini yang belum mendapat tanggapan sama sekali "
            f"(tingkat tanggapan {fmt.percent(rr)}); pengaduan yang ditutup tanpa jawaban tidak dihitung ditanggapi."
        )
    res_late = int(k.get("resolution_late") or 0)
    rrate = k.get("on_time_resolution_rate")
    # the model has no plain on-time resolution indicator: hold it to the response target
    res_target = targets.get("on_time_resolution_rate") or targets.get("on_time_response_rate", 1.0)
    if res_late and (rrate is None or rrate < res_target):
        out.append(
            f"Perbaiki penyelesaian tepat waktu ({fmt.percent(rrate)}, acuan {fmt.percent(res_target, 0)}): "
            f"{_n(res_late)} pengaduan periode ini "
            f"selesai lewat batas atau masih terbuka melewati batasnya; tetapkan tenggat per pengaduan saat "
            "disposisi dan laporkan kemajuannya dalam rapat monev."
        )
    if data.scope == "kota":
        ver_late = int(k.get("verification_late") or 0)
        vrate = k.get("on_time_verification_rate")
        if ver_late and (vrate is None or vrate < targets.get("on_time_verification_rate", 1.0)):
            out.append(
                f"Percepat verifikasi dan disposisi oleh Admin Koordinator: {_n(ver_late)} pengaduan diverifikasi "
                f"lewat {limits['verification']} HK (tepat waktu {fmt.percent(vrate)})."
            )

    rising = _rising(k)
    if rising:
        out.append(
            "Siapkan penanganan untuk kategori yang naik: "
            + ", ".join(f"{r['category']} ({fmt.signed(r['change'], 0)} pengaduan)" for r in rising)
            + ("; koordinasikan dengan OPD terkait." if data.scope == "kota" else "; cari penyebab bersama di lapangan.")
        )

    r = data.rating
    if data.scope == "kota" and r.plan:
        plan = r.plan[:MAX_PLAN]
        more = len(r.plan) - len(plan)
        head = (f"Menuju predikat {r.target} (estimasi model)" if r.assessed
                else f"Agar kota dapat dinilai (estimasi model: predikat {r.target})")
        text = head + ": " + "; ".join(plan)
        if more > 0:
            text += f"; dan {_n(more)} langkah lain (lembar 'Penilaian Indikator')"
        out.append(text + ".")

    if not out:
        if data.has_complaints:
            out.append("Pertahankan kinerja: tidak ada tahap yang terlambat dan tidak ada tunggakan lewat batas.")
        else:
            out.append(
                "Tidak ada pengaduan pada periode ini. Pastikan admin penghubung tetap memantau SP4N-LAPOR! dan "
                "kanal lokal agar pengaduan yang masuk langsung ditanggapi."
            )
    return out
