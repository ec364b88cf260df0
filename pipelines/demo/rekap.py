"""Hand-kept rekap spreadsheets of the local channels (ULPIM, WhatsApp, Instagram,
Call Center 112, SAPA MAS WALI): title block, "No" column, register numbers,
blank lines between months, totals at the bottom, no channel column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.demo import render
from pipelines.demo.files import Formula, Row, Sheet
from pipelines.demo.simulate import state_at
from pipelines.fmt import BULAN
from pipelines.masterdata import MasterData


@dataclass(frozen=True)
class RekapLayout:
    channel: str
    slug: str  # in the file name
    period: str  # year | month
    office: str  # second line of the kop
    columns: tuple[tuple[str, str], ...]  # (field, header)
    dates: str  # serial or a render.DATE_FORMS form
    month_titles: bool = False  # "REKAP PENGADUAN BULAN ..." rows between months
    blank_between_months: bool = True
    kelurahan_only: bool = False


LAYOUTS = {
    "ULPIM": RekapLayout(
        "ULPIM", "ulpim", "year", "UNIT LAYANAN PENGADUAN DAN INFORMASI MASYARAKAT (ULPIM)",
        (("row_no", "No"), ("source_id", "No. Register"), ("reported_at", "Tanggal"), ("reporter_name", "Nama Pelapor"),
         ("reporter_phone", "No. HP"), ("kecamatan", "Kecamatan"), ("kelurahan", "Kelurahan"), ("body", "Uraian"),
         ("category", "Kategori"), ("department", "OPD"), ("status", "Status"), ("first_response_at", "Tgl TL"),
         ("resolved_at", "Tanggal Selesai")),
        "serial", month_titles=True,
    ),
    "WhatsApp": RekapLayout(
        "WhatsApp", "whatsapp", "year", "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK - LAYANAN WHATSAPP PENGADUAN",
        (("row_no", "No"), ("source_id", "No Register"), ("reported_at", "Tanggal Masuk"), ("reporter_name", "Nama"),
         ("reporter_phone", "WA"), ("kelurahan", "Desa/Kelurahan"), ("body", "Isi Pengaduan"), ("category", "Kategori"),
         ("department", "Disposisi"), ("status", "Status"), ("first_response_at", "Tanggal Tindak Lanjut"),
         ("resolved_at", "Tgl Selesai")),
        "dmy_slash", kelurahan_only=True,
    ),
    "Instagram": RekapLayout(
        "Instagram", "instagram", "year", "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK - AKUN INSTAGRAM PEMKOT",
        (("row_no", "No"), ("source_id", "Nomor Register"), ("reported_at", "Tanggal"), ("kelurahan", "Kelurahan"),
         ("location", "Lokasi"), ("body", "Keluhan"), ("category", "Kategori"), ("department", "Perangkat Daerah"),
         ("status", "Status"), ("first_response_at", "Tanggal Respon"), ("resolved_at", "Tanggal Ditutup")),
        "dmy_dash", kelurahan_only=True,
    ),
    "Call Center 112": RekapLayout(
        "Call Center 112", "callcenter112", "month", "CALL CENTER 112 KOTA BLITAR",
        (("row_no", "No"), ("source_id", "No. Register"), ("reported_at", "Tanggal"), ("reporter_name", "Nama Pelapor"),
         ("reporter_phone", "Telepon"), ("kecamatan", "Kecamatan"), ("kelurahan", "Kelurahan"), ("location", "Lokasi"),
         ("body", "Uraian"), ("category", "Kategori"), ("department", "Unit Kerja"), ("status", "Status"),
         ("first_response_at", "Tgl TL"), ("resolved_at", "Tgl Selesai")),
        "id_long",
    ),
    "SAPA MAS WALI": RekapLayout(
        "SAPA MAS WALI", "sapamaswali", "month", "SAPA MAS WALI - PEMERINTAH KOTA BLITAR",
        (("row_no", "No"), ("source_id", "No. Register"), ("reported_at", "Tanggal"), ("reporter_name", "Nama Pelapor"),
         ("reporter_phone", "No. HP"), ("kelurahan", "Kelurahan"), ("body", "Isi Pengaduan"), ("category", "Kategori"),
         ("department", "OPD"), ("status", "Status"), ("first_response_at", "Tanggal Tindak Lanjut"),
         ("resolved_at", "Tanggal Selesai")),
        "id_day_long",
    ),
}
# Hand-kept files are updated for a while after their period ends.
KEPT_UP_DAYS = 30


@dataclass(frozen=True)
class RekapFile:
    channel: str
    period_start: dt.date
    period_end: dt.date  # inclusive
    label: str  # 2025 or 2025-03
    fmt: str


def rekap_plan(rekap: pl.DataFrame, start: dt.date, end: dt.date) -> list[RekapFile]:
    """Which rekap files exist: one per channel per year, or per month (Call Center 112,
    SAPA MAS WALI); WhatsApp's latest year and Instagram's first are semicolon CSV."""
    out: list[RekapFile] = []
    present = rekap.group_by("channel").agg(pl.col("reported_at").min().alias("first"))
    firsts = dict(zip(present["channel"].to_list(), present["first"].to_list(), strict=True))
    for ch, lay in LAYOUTS.items():
        if ch not in firsts:
            continue
        first = max(start, firsts[ch].date())
        if lay.period == "year":
            years = list(range(first.year, end.year + 1))
            for y in years:
                fmt = "xlsx"
                if (ch == "WhatsApp" and y == years[-1]) or (ch == "Instagram" and y == years[0]):
                    fmt = "csv"
                out.append(RekapFile(ch, max(dt.date(y, 1, 1), start), min(dt.date(y, 12, 31), end), str(y), fmt))
        else:
            m = dt.date(first.year, first.month, 1)
            while m <= end:
                nxt = render.first_of_next_month(m)
                out.append(RekapFile(ch, max(m, start), min(nxt - dt.timedelta(days=1), end), m.strftime("%Y-%m"), "xlsx"))
                m = nxt
    return out


def build_rekap(
    rekap: pl.DataFrame,
    rf: RekapFile,
    md: MasterData,
    rng: np.random.Generator,
    end: dt.date,
    unmatched: dict[str, str],
    index: int,
) -> Sheet | None:
    """Lay out one rekap file, statuses as kept by hand up to KEPT_UP_DAYS after its period."""
    lay = LAYOUTS[rf.channel]
    kept = min(rf.period_end + dt.timedelta(days=KEPT_UP_DAYS), end) + dt.timedelta(days=1)
    t = dt.datetime.combine(kept, dt.time())
    rows = rekap.filter(
        (pl.col("channel") == rf.channel)
        & (pl.col("reported_at") >= dt.datetime.combine(rf.period_start, dt.time()))
        & (pl.col("reported_at") < dt.datetime.combine(rf.period_end + dt.timedelta(days=1), dt.time()))
    )
    if rows.is_empty():
        return None
    snap = state_at(rows, t).sort(["reported_at", "source_id"])
    n = snap.height
    fields = [f for f, _ in lay.columns]
    header = [h for _, h in lay.columns]
    dates = "dmy_slash" if (rf.fmt == "csv" and lay.dates == "serial") else lay.dates
    if rf.channel == "SAPA MAS WALI" and index % 2 == 1:
        dates = "serial"
    missing = "-" if index % 2 == 0 else ""
    features: set[str] = set()

    sids = snap["source_id"].to_list()
    depts = render.department_variants(md, snap["department"].to_list(), rng, hand_kept=True)
    for i, sid in enumerate(sids):
        if sid in unmatched and snap["department"][i] is not None:
            depts[i] = unmatched[sid]
    status_u = rng.integers(0, 1 << 30, n)
    statuses = []
    for s, j in zip(snap["status"].to_list(), status_u, strict=True):
        labels = render.REKAP_STATUS_LABELS[s]
        statuses.append(labels[j % len(labels)])
    cols: dict[str, list] = {
        "source_id": sids,
        "reporter_name": [x or "" for x in snap["reporter_name"].to_list()],
        "reporter_phone": [x or "" for x in snap["reporter_phone"].to_list()],
        "kecamatan": snap["kecamatan"].to_list(),
        "kelurahan": render.kelurahan_variants(md, snap["kelurahan"].to_list(), rng, 0.1),
        "location": [x or "" for x in snap["location"].to_list()],
        "body": snap["body"].to_list(),
        "category": render.category_variants(md, snap["category"].to_list(), snap["topic"].to_list(), rng, 0.5),
        "department": depts,
        "status": statuses,
    }
    for f in ("reported_at", "first_response_at", "resolved_at"):
        if dates == "serial":
            cols[f] = [None if v is None else v.date() for v in snap[f].to_list()]
        else:
            cols[f] = render.format_dates(snap[f], dates, missing=missing).to_list()
    snap_status = snap["status"].to_list()
    months = snap["reported_at"].dt.month().to_list()
    years = snap["reported_at"].dt.year().to_list()

    ext = rf.fmt
    rel = f"rekap/rekap_{lay.slug}_{rf.label}.{ext}"
    sheet = Sheet(
        rel_path=rel, fmt=ext, kind="rekap", channel=rf.channel, snapshot=t, export_date=kept - dt.timedelta(days=1),
        header=header, fields=fields, features=features, date_format="dd/mm/yyyy", date_form=dates,
    )
    if ext == "csv":
        sheet.delimiter, sheet.encoding, sheet.line_terminator = ";", "cp1252", "\r\n"
        sheet.trailing_empty = 2
        features.update({"semicolon", "windows1252", "trailing_empty_columns"})
    elif rf.channel == "ULPIM":
        sheet.bordered = True
        sheet.trailing_empty = 1
        features.add("trailing_empty_columns")
    period_text = f"TAHUN {rf.label}" if lay.period == "year" else f"BULAN {BULAN[rf.period_start.month - 1].upper()} {rf.period_start.year}"
    sheet.rows.append(Row("title", ["PEMERINTAH KOTA BLITAR"], merge=True))
    sheet.rows.append(Row("title", [lay.office], merge=True))
    sheet.rows.append(Row("title", [f"REKAP PENGADUAN {rf.channel.upper()} {period_text}"], merge=True))
    sheet.rows.append(Row("blank", []))
    sheet.rows.append(Row("header", header))
    features.update({"title_block", "no_column", "register_column", "no_channel_column", "totals_row"})
    if ext == "xlsx":
        features.add("merged_title")
    if lay.kelurahan_only:
        features.add("kelurahan_only")
    features.add(f"dates_{dates}")
    if dates in ("id_long", "id_day_long"):
        features.add("indonesian_month_names")
    first_data = len(sheet.rows) + 1
    prev = None
    for i in range(n):
        ym = (years[i], months[i])
        if prev is not None and ym != prev:
            if lay.blank_between_months:
                sheet.rows.append(Row("blank", []))
                features.add("blank_rows")
            if lay.month_titles:
                sheet.rows.append(Row("month", [f"REKAP PENGADUAN BULAN {BULAN[ym[1] - 1].upper()} {ym[0]}"], merge=True))
                features.add("month_title_rows")
        elif prev is None and lay.month_titles:
            sheet.rows.append(Row("month", [f"REKAP PENGADUAN BULAN {BULAN[ym[1] - 1].upper()} {ym[0]}"], merge=True))
            first_data += 1
        prev = ym
        cells = [(i + 1) if f == "row_no" else cols[f][i] for f in fields]
        sheet.rows.append(Row("data", cells, key=sids[i], status=snap_status[i]))
    last_data = len(sheet.rows)
    total = [""] * len(fields)
    total[0] = "JUMLAH"
    body_col = fields.index("body")
    reg_col = fields.index("source_id")
    col_letter = chr(ord("A") + reg_col)
    total[body_col] = (
        Formula(f'=COUNTA({col_letter}{first_data}:{col_letter}{last_data})&" pengaduan"', f"{n} pengaduan")
        if ext == "xlsx" else f"{n} pengaduan"
    )
    sheet.rows.append(Row("total", total))
    return sheet
