"""The OPD league as a plain HTML table: every ranked OPD visible (no inner scroll box), full names
wrapped, the number of complaints behind every rate, predikat coloured; each name links to its detail
(``?rincian=<singkatan>#rincian-opd``, a link that can be shared)."""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from dashboard.components.style import band_background, band_colour
from pipelines import fmt
from pipelines.kpi.coverage import rate_denominator

DETAIL_PARAM = "rincian"
DETAIL_ANCHOR = "rincian-opd"

CSS = """
<style>
div.league-wrap { overflow-x: auto; }
table.league { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
table.league th { text-align: right; font-weight: 600; color: #33414F; border-bottom: 2px solid #1F5A96;
  padding: 0.35rem 0.5rem; vertical-align: bottom; line-height: 1.2; }
table.league th.l, table.league td.l { text-align: left; }
table.league td { text-align: right; padding: 0.3rem 0.5rem; border-bottom: 1px solid #E3E8EE; vertical-align: top;
  font-variant-numeric: tabular-nums; }
table.league td.opd { text-align: left; white-space: normal; min-width: 11rem; }
table.league td.opd a { color: #1B2733; text-decoration: none; font-weight: 600; }
table.league td.opd a:hover { text-decoration: underline; color: #1F5A96; }
table.league td .n { display: block; color: #6B7785; font-size: 0.78rem; white-space: nowrap; }
table.league td.opd .n { white-space: normal; }
table.league td.band { font-weight: 700; text-align: left; white-space: nowrap; }
table.league tr.selected td { background: #EEF3F9; }
</style>
"""


def detail_href(query: Mapping[str, Any], short: str) -> str:
    q = {k: v for k, v in query.items() if k != DETAIL_PARAM}
    q[DETAIL_PARAM] = short
    return "?" + urllib.parse.urlencode(q, doseq=True) + f"#{DETAIL_ANCHOR}"


def _rate(value: float | None, num: int | None, den: int | None) -> str:
    n = f"<span class='n'>{fmt.number(num)} dari {fmt.number(den)}</span>" if den else ""
    return f"{fmt.percent(value)}{n}"


def _cells(r: Mapping[str, Any], k: Mapping[str, Any], href: str) -> list[str]:
    band = r.get("predikat")
    answered = (k.get("response_on_time") or 0) + (k.get("response_late") or 0)
    dated = ((k.get("coverage") or {}).get("resolution") or {}).get("dated", k.get("resolved"))
    # the median is of dated resolutions only (an undated one is never 0 days)
    median_n = (f"<span class='n'>{fmt.number(k.get('resolved'))} selesai</span>" if dated == k.get("resolved")
                else f"<span class='n'>{fmt.number(dated)} bertanggal</span>")
    median_n = median_n if k.get("resolved") else ""
    return [
        f"<td>{fmt.number(r.get('rank'))}</td>",
        f"<td class='opd'><a href='{html.escape(href)}' target='_self'>{html.escape(r['department'])}</a>"
        + (f"<span class='n'>{html.escape(r['note'])}</span>" if r.get("note") else "") + "</td>",
        f"<td>{fmt.number(r.get('score'), 1)}</td>",
        f"<td class='band' style='color:{band_colour(band)};background:{band_background(band)}'>"
        f"{html.escape(band or '–')}</td>",
        f"<td>{fmt.number(k.get('in_scope'))}</td>",
        f"<td>{_rate(k.get('response_rate'), k.get('responded'), rate_denominator(k, 'response'))}</td>",
        f"<td>{_rate(k.get('on_time_response_rate'), k.get('response_on_time'), answered)}</td>",
        f"<td>{_rate(k.get('resolution_rate'), k.get('resolved'), rate_denominator(k, 'resolution'))}"
        "</td>",
        f"<td>{fmt.days(k.get('resolution_days_median'))}{median_n}</td>",
        f"<td>{_rate(k.get('reopen_rate'), k.get('reopened'), k.get('resolved'))}</td>",
        f"<td>{fmt.number(k.get('backlog_overdue'))}</td>",
    ]


HEADERS = [
    ("", "Peringkat"), ("l", "OPD"), ("", "Nilai"), ("l", "Predikat"), ("", "Pengaduan dalam cakupan"),
    ("", "Ditanggapi"), ("", "Tanggapan tepat waktu"), ("", "Selesai"), ("", "Median lama selesai"),
    ("", "Dibuka kembali"), ("", "Tunggakan lewat batas"),
]


def show(ratings: Sequence[Mapping[str, Any]], kpi_rows: Mapping[str, Mapping[str, Any]],
         short: Mapping[str, str], query: Mapping[str, Any], selected: str | None = None) -> None:
    """The table of the ranked OPDs (``ratings`` with a score), KPI columns from ``kpi_rows``."""
    head = "".join(f"<th class='{c}'>{t}</th>" for c, t in HEADERS)
    body = []
    for r in ratings:
        dept = r["department"]
        href = detail_href(query, short.get(dept) or dept)
        cls = " class='selected'" if dept == selected else ""
        body.append(f"<tr{cls}>" + "".join(_cells(r, kpi_rows.get(dept, {}), href)) + "</tr>")
    st.markdown(CSS + f"<div class='league-wrap'><table class='league'><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table></div>", unsafe_allow_html=True)
