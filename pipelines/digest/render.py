"""Worklist texts: the e-mail (plain text and HTML), the short WhatsApp text, and row lines.

Everything is laid out from a ``Worklist`` / ``ExecutiveSnapshot``; nothing is computed here. Every
value that reaches HTML is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote

import polars as pl

from pipelines import fmt
from pipelines.digest.worklist import ExecutiveSnapshot, Section, Worklist
from pipelines.officers import RegisterFlag

FOOTER = ("Pesan ini dibuat otomatis oleh Monev Pengaduan dari gudang data per tanggal di atas. Daftar hanya memuat "
          "nomor pengaduan dari sistem sumbernya, tanggal, umur, kategori, kelurahan dan status; isi pengaduan dan data "
          "pelapor dibuka di SP4N-LAPOR! atau rekap OPD.")


def page_link(base_url: str, department: str | None = None) -> str:
    """The dashboard's Daftar Kerja page (for one OPD with ``?opd=``)."""
    url = base_url.rstrip("/") + "/daftar_kerja"
    return url + (f"?opd={quote(department)}" if department else "")


def row_line(section: Section, row: dict) -> str:
    """One complaint as one line: id, reported date, age, the section's limit or due date, category, place."""
    parts = [str(row["source_id"] or row["complaint_key"]), f"dilaporkan {fmt.date_long(row['reported_date'])}"]
    if section.key == "overdue":
        parts.append(f"umur {fmt.number(row['age_days'])} HK (batas {fmt.number(row['limit_days'])} HK, "
                     f"seharusnya selesai {fmt.date_long(row['due_date'])})")
    elif section.key == "due_soon":
        parts.append(f"{row['step_label'] or 'langkah berikutnya'} jatuh tempo {fmt.date_long(row['due_date'])}")
    elif section.key == "awaiting":
        parts.append(f"umur {fmt.number(row['age_days'])} HK (batas tanggapan {fmt.number(row['limit_days'])} HK)")
    elif section.key == "reopened":
        parts.append(f"dibuka kembali {fmt.date_long(row['reopened_on'])}")
    parts.extend(p for p in (row["category"], f"Kel. {row['kelurahan']}" if row["kelurahan"] else None,
                             row["status_label"]) if p)
    return " · ".join(parts)


def counts_line(w: Worklist) -> str:
    return " · ".join(f"{fmt.number(w.count(s.key))} {s.short}" for s in w.sections)


def missing_note(w: Worklist) -> str:
    if not w.missing:
        return ""
    names = {"due_soon": "segera jatuh tempo", "reopened": "dibuka kembali"}
    return ("Daftar " + " dan ".join(names.get(k, k) for k in w.missing)
            + " belum tersedia di mesin KPI versi ini.")


def _rows(df: pl.DataFrame) -> list[dict]:
    return df.to_dicts()


# ----------------------------------------------------------------- OPD worklist


def opd_text(w: Worklist, link: str, period_label: str) -> str:
    lines = [f"Daftar kerja pengaduan – {w.department}", f"Per {fmt.date_long(w.as_of)} · {period_label}", "",
             f"Ringkas: {counts_line(w)}", ""]
    for i, s in enumerate(w.sections, start=1):
        df = w.frames[s.key]
        lines.append(f"{i}. {s.title.upper()} ({fmt.number(df.height)})")
        lines.append(f"   {s.explain}")
        lines.extend(f"   {j}) {row_line(s, r)}" for j, r in enumerate(_rows(df), start=1))
        if df.height == 0:
            lines.append("   Tidak ada.")
        lines.append("")
    if w.missing:
        lines += [missing_note(w), ""]
    lines += [f"Buka di dasbor: {link}", "", FOOTER]
    return "\n".join(lines)


def _html_table(s: Section, df: pl.DataFrame) -> str:
    if df.height == 0:
        return "<p>Tidak ada.</p>"
    head = "".join(f"<th style='text-align:left;padding:4px 8px;border-bottom:1px solid #B0B7BF'>{escape(h)}</th>"
                   for h in ("No.", "Nomor pengaduan", "Rincian"))
    body = []
    for j, r in enumerate(_rows(df), start=1):
        rest = row_line(s, r).split(" · ", 1)
        body.append(f"<tr><td style='padding:3px 8px'>{j}</td><td style='padding:3px 8px'>{escape(rest[0])}</td>"
                    f"<td style='padding:3px 8px'>{escape(rest[1] if len(rest) > 1 else '')}</td></tr>")
    return f"<table style='border-collapse:collapse;font-size:13px'><tr>{head}</tr>{''.join(body)}</table>"


def _html_page(title: str, subtitle: str, blocks: Sequence[str], link: str) -> str:
    return (
        "<!doctype html><html lang='id'><body style='font-family:Arial,sans-serif;color:#1b1b1b'>"
        f"<h2 style='color:#1F3B57;margin-bottom:2px'>{escape(title)}</h2>"
        f"<p style='color:#5B6470;margin-top:0'>{escape(subtitle)}</p>{''.join(blocks)}"
        f"<p><a href='{escape(link, quote=True)}'>Buka di dasbor</a></p>"
        f"<p style='color:#5B6470;font-size:12px'>{escape(FOOTER)}</p></body></html>"
    )


def opd_html(w: Worklist, link: str, period_label: str) -> str:
    blocks = [f"<p><b>Ringkas:</b> {escape(counts_line(w))}</p>"]
    for i, s in enumerate(w.sections, start=1):
        df = w.frames[s.key]
        blocks.append(f"<h3 style='color:#1F3B57'>{i}. {escape(s.title)} ({fmt.number(df.height)})</h3>"
                      f"<p style='color:#5B6470'>{escape(s.explain)}</p>{_html_table(s, df)}")
    if w.missing:
        blocks.append(f"<p style='color:#5B6470'>{escape(missing_note(w))}</p>")
    return _html_page(f"Daftar kerja pengaduan – {w.department}",
                      f"Per {fmt.date_long(w.as_of)} · {period_label}", blocks, link)


def whatsapp_text(w: Worklist, link: str, max_items: int = 3) -> str:
    """Short, numbered, ready to paste into WhatsApp (bold with *...*)."""
    lines = [f"*Daftar kerja pengaduan – {w.department}*", f"Per {fmt.date_long(w.as_of)}"]
    for i, s in enumerate(w.sections, start=1):
        df = w.frames[s.key]
        ids = [str(r["source_id"] or r["complaint_key"]) for r in df.head(max_items).to_dicts()]
        more = f" (mis. {', '.join(ids)}{', …' if df.height > len(ids) else ''})" if ids else ""
        lines.append(f"{i}. {s.title}: {fmt.number(df.height)}{more}")
    lines.append(f"Rincian: {link}")
    return "\n".join(lines)


# ----------------------------------------------------------------- koordinator and pimpinan


def _counts_rows(w: Worklist) -> list[list[str]]:
    df = w.counts_by_department()
    return [[r["department"], *(fmt.number(r[s.key]) for s in w.sections)] for r in df.to_dicts()]


def register_lines(flags: Sequence[RegisterFlag], unreachable: Sequence[str]) -> list[str]:
    bad = [f for f in flags if f.flagged]
    lines = [f"Register pejabat penghubung: {len(flags) - len(bad)} dari {len(flags)} OPD punya pejabat "
             "dengan SK yang berlaku."]
    lines += [f"- {f.department}: {f.message}" for f in bad]
    if unreachable:
        lines.append("OPD dengan daftar kerja yang tidak terkirim karena tidak ada alamat e-mail pejabat penghubung: "
                     + ", ".join(unreachable) + ".")
    return lines


def koordinator_text(w: Worklist, flags: Sequence[RegisterFlag], unreachable: Sequence[str], link: str,
                     period_label: str) -> str:
    heads = ["OPD", *(s.short for s in w.sections)]
    lines = ["Daftar kerja pengaduan – seluruh OPD", f"Per {fmt.date_long(w.as_of)} · {period_label}", "",
             f"Kota: {counts_line(w)}", "", "Per OPD (" + " | ".join(heads) + "):"]
    lines += [f"- {' | '.join(r)}" for r in _counts_rows(w)]
    lines += ["", *register_lines(flags, unreachable), ""]
    if w.missing:
        lines += [missing_note(w), ""]
    lines += ["Rincian setiap daftar ada di lampiran PDF dan di dasbor:", link, "", FOOTER]
    return "\n".join(lines)


def koordinator_html(w: Worklist, flags: Sequence[RegisterFlag], unreachable: Sequence[str], link: str,
                     period_label: str) -> str:
    heads = ["OPD", *(s.short for s in w.sections)]
    th = "".join(f"<th style='text-align:left;padding:4px 8px;border-bottom:1px solid #B0B7BF'>{escape(h)}</th>"
                 for h in heads)
    trs = "".join("<tr>" + "".join(f"<td style='padding:3px 8px'>{escape(c)}</td>" for c in r) + "</tr>"
                  for r in _counts_rows(w))
    reg = "".join(f"<li>{escape(x)}</li>" for x in register_lines(flags, unreachable))
    blocks = [f"<p><b>Kota:</b> {escape(counts_line(w))}</p>",
              f"<table style='border-collapse:collapse;font-size:13px'><tr>{th}</tr>{trs}</table>",
              f"<h3 style='color:#1F3B57'>Register pejabat penghubung</h3><ul>{reg}</ul>"]
    if w.missing:
        blocks.append(f"<p style='color:#5B6470'>{escape(missing_note(w))}</p>")
    return _html_page("Daftar kerja pengaduan – seluruh OPD", f"Per {fmt.date_long(w.as_of)} · {period_label}",
                      blocks, link)


def snapshot_lines(s: ExecutiveSnapshot) -> list[str]:
    n = s.numbers
    lines = [
        f"Pengaduan masuk {s.label}: {fmt.number(n['received'])} ({fmt.number(n['in_scope'])} diproses)",
        f"Ditanggapi: {fmt.percent(n['response_rate'])} · tepat waktu {fmt.percent(n['on_time_response_rate'])}",
        f"Selesai: {fmt.percent(n['resolution_rate'])} · tepat waktu {fmt.percent(n['on_time_resolution_rate'])}"
        f" · median {fmt.days(n['resolution_days_median'])}",
        f"Tunggakan per {fmt.date_long(s.as_of)}: {fmt.number(n['backlog_open'])} terbuka, "
        f"{fmt.number(n['backlog_overdue'])} lewat batas",
    ]
    if s.top_overdue:
        lines.append("OPD dengan tunggakan lewat batas terbanyak:")
        lines += [f"{i}. {r['department']}: {fmt.number(r['backlog_overdue'])} lewat batas "
                  f"(dari {fmt.number(r['backlog_open'])} terbuka)" for i, r in enumerate(s.top_overdue, start=1)]
    return lines


def pimpinan_text(s: ExecutiveSnapshot, link: str, period_label: str) -> str:
    return "\n".join(["Ringkasan pengelolaan pengaduan", f"Per {fmt.date_long(s.as_of)} · {period_label}", "",
                      *snapshot_lines(s), "", f"Dasbor: {link}", "", FOOTER])


def pimpinan_html(s: ExecutiveSnapshot, link: str, period_label: str) -> str:
    items = "".join(f"<li>{escape(x)}</li>" for x in snapshot_lines(s))
    return _html_page("Ringkasan pengelolaan pengaduan", f"Per {fmt.date_long(s.as_of)} · {period_label}",
                      [f"<ul>{items}</ul>"], link)
