"""SP4N-LAPOR! export snapshots: monthly, overlapping, in varying layouts.

The export dated D (taken at the start of D) holds every LAPOR! report of the
year of D's previous day, plus the previous December when that day is in
January, each with its status and timestamps as known at D 00:00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.demo import render
from pipelines.demo.files import Formula, Row, Sheet
from pipelines.demo.simulate import state_at
from pipelines.fmt import date_long
from pipelines.masterdata import MasterData

# Header spellings (input-formats.md), one set per export layout.
HEADER_SETS: tuple[dict[str, str], ...] = (
    {
        "source_id": "Tracking ID", "reported_at": "Tanggal Laporan", "title": "Judul Laporan", "body": "Isi Laporan",
        "classification": "Klasifikasi", "category": "Kategori", "channel": "Sumber", "department": "Instansi Terdisposisi",
        "status": "Status", "verified_at": "Tanggal Verifikasi", "dispatched_at": "Tanggal Disposisi",
        "first_response_at": "Tanggal Tindak Lanjut Pertama", "resolved_at": "Tanggal Selesai", "kecamatan": "Kecamatan",
        "kelurahan": "Kelurahan", "location": "Lokasi", "is_anonymous": "Anonim", "is_confidential": "Rahasia",
        "reporter_name": "Nama Pelapor", "reporter_phone": "No HP", "reporter_email": "Email", "reporter_nik": "NIK",
        "satisfaction": "Rating",
    },
    {
        "source_id": "ID Laporan", "reported_at": "Tgl Laporan", "title": "Judul", "body": "Isi",
        "classification": "Jenis Laporan", "category": "Topik", "channel": "Kanal", "department": "Disposisi",
        "status": "Status Laporan", "verified_at": "Tgl Verifikasi", "dispatched_at": "Tgl Disposisi",
        "first_response_at": "Tgl TL", "resolved_at": "Tgl Selesai", "kecamatan": "Kecamatan",
        "kelurahan": "Desa/Kelurahan", "location": "Alamat Kejadian", "is_anonymous": "Anonim", "is_confidential": "Rahasia",
        "reporter_name": "Nama", "reporter_phone": "No. HP", "reporter_email": "Email", "reporter_nik": "NIK",
        "satisfaction": "Penilaian",
    },
    {
        "source_id": "No Tracking", "reported_at": "Waktu Lapor", "title": "Judul Laporan", "body": "Uraian",
        "classification": "Klasifikasi", "category": "Kategori Laporan", "channel": "Media", "department": "OPD",
        "status": "STATUS", "verified_at": "Tanggal Verifikasi", "dispatched_at": "Tanggal Disposisi",
        "first_response_at": "Tanggal Respon", "resolved_at": "Tanggal Ditutup", "kecamatan": "KECAMATAN",
        "kelurahan": "KELURAHAN", "location": "Lokasi", "is_anonymous": "ANONIM", "is_confidential": "RAHASIA",
        "reporter_name": "Nama Pelapor", "reporter_phone": "Telepon", "reporter_email": "Email", "reporter_nik": "NIK",
        "satisfaction": "Kepuasan",
    },
    {
        "source_id": "Nomor Laporan", "reported_at": "Tanggal Dibuat", "title": "Judul", "body": "Deskripsi",
        "classification": "Klasifikasi", "category": "Kategori", "channel": "Sumber Laporan", "department": "Perangkat Daerah",
        "status": "Status", "verified_at": "Tgl Verifikasi", "dispatched_at": "Tgl Disposisi",
        "first_response_at": "Tanggal Tindak Lanjut", "resolved_at": "Tgl Selesai", "kecamatan": "Kecamatan",
        "kelurahan": "Kelurahan", "location": "Lokasi", "is_anonymous": "Anonim", "is_confidential": "Rahasia",
        "reporter_name": "Nama Pelapor", "reporter_phone": "No. Telp", "reporter_email": "Email", "reporter_nik": "NIK",
        "satisfaction": "Rating",
    },
    {
        "source_id": "Tracking Id", "reported_at": "Tanggal Masuk", "title": "Judul", "body": "Isi Pengaduan",
        "classification": "Jenis Laporan", "category": "Topik", "channel": "Kanal", "department": "Unit Kerja",
        "status": "Status Laporan", "verified_at": "Tgl Verifikasi", "dispatched_at": "Tgl Disposisi",
        "first_response_at": "Tgl TL", "resolved_at": "Tanggal Selesai", "kecamatan": "Kecamatan",
        "kelurahan": "Kelurahan", "location": "Alamat Kejadian", "is_anonymous": "Anonim", "is_confidential": "Rahasia",
        "reporter_name": "Nama", "reporter_phone": "WA", "reporter_email": "Email", "reporter_nik": "NIK",
        "satisfaction": "Penilaian",
    },
)
FIELD_ORDER = (
    "source_id", "reported_at", "title", "body", "classification", "category", "channel", "department", "status",
    "verified_at", "dispatched_at", "first_response_at", "resolved_at", "kecamatan", "kelurahan", "location",
    "is_anonymous", "is_confidential", "reporter_name", "reporter_phone", "reporter_email", "reporter_nik", "satisfaction",
)
DATE_FIELDS = ("reported_at", "verified_at", "dispatched_at", "first_response_at", "resolved_at")
# Personal data columns first in some layouts (an export "per pelapor").
PII_FIRST_ORDER = FIELD_ORDER[:2] + FIELD_ORDER[18:22] + FIELD_ORDER[2:18] + FIELD_ORDER[22:]

# CSV layouts rotate through these, so even a short demo has each kind.
CSV_STYLES = (
    {"delimiter": ";", "encoding": "cp1252", "line_terminator": "\r\n", "dates": "id_abbr_time", "agustus": "Agt", "missing": "-"},
    {"delimiter": ",", "encoding": "utf-8-sig", "line_terminator": "\n", "dates": "iso_min", "agustus": "Agu", "missing": ""},
    {"delimiter": ",", "encoding": "utf-8", "line_terminator": "\r\n", "dates": "id_abbr_time", "agustus": "Agu", "missing": ""},
    {"delimiter": ";", "encoding": "utf-8-sig", "line_terminator": "\r\n", "dates": "iso_min", "agustus": "Agu", "missing": "-"},
)
XLSX_STYLES = (
    {"title_block": True, "dates": "serial", "float_ids": True, "hyperlink": False, "missing": ""},
    {"title_block": False, "dates": "iso_min", "float_ids": False, "hyperlink": True, "missing": "-"},
    {"title_block": False, "dates": "serial", "float_ids": False, "hyperlink": False, "missing": ""},
    {"title_block": True, "dates": "id_abbr_time", "float_ids": True, "hyperlink": False, "missing": ""},
)


@dataclass(frozen=True)
class Export:
    date: dt.date  # export date: statuses as of its 00:00
    cover_from: dt.date  # earliest report date it holds
    fmt: str
    index: int


def export_schedule(start: dt.date, end: dt.date) -> list[Export]:
    """Monthly exports on the 1st after ``start`` up to the day after ``end``."""
    dates = []
    d = render.first_of_next_month(start)
    last = end + dt.timedelta(days=1)
    while d <= last:
        dates.append(d)
        d = render.first_of_next_month(d)
    if not dates or dates[-1] != last:
        dates.append(last)
    out = []
    for i, d in enumerate(dates):
        prev = d - dt.timedelta(days=1)
        cover = dt.date(prev.year - 1, 12, 1) if prev.month == 1 else dt.date(prev.year, 1, 1)
        out.append(Export(d, max(cover, start), "csv" if i % 2 == 0 else "xlsx", i))
    return out


def _bool(values: list[bool], style: tuple[str, str]) -> list[str]:
    return [style[0] if v else style[1] for v in values]


def build_export(
    lapor: pl.DataFrame,
    exp: Export,
    md: MasterData,
    rng: np.random.Generator,
    unmatched: dict[str, str],
) -> Sheet:
    """Lay out one export as a Sheet (not yet written)."""
    t = dt.datetime.combine(exp.date, dt.time())
    cover = dt.datetime.combine(exp.cover_from, dt.time())
    snap = state_at(lapor.filter(pl.col("reported_at") >= cover), t)
    k = exp.index // 2
    headers = HEADER_SETS[(exp.index * 3 + 1) % len(HEADER_SETS)]
    order = PII_FIRST_ORDER if exp.index % 5 == 3 else FIELD_ORDER
    descending = exp.index % 3 == 1
    snap = snap.sort(["reported_at", "source_id"], descending=descending)
    n = snap.height
    features: set[str] = set()
    if exp.fmt == "csv":
        style = CSV_STYLES[k % len(CSV_STYLES)]
        date_form = style["dates"]
    else:
        style = XLSX_STYLES[k % len(XLSX_STYLES)]
        date_form = style["dates"]
    missing = style["missing"]

    # Labels for this file: one synonym per status, one case style, one spelling per channel.
    status_pick = {s: labels[int(rng.integers(0, len(labels)))] for s, labels in render.LAPOR_STATUS_LABELS.items()}
    case = ("as_is", "upper", "lower", "mixed")[exp.index % 4]
    row_case = rng.choice(["as_is", "upper", "lower", "title"], size=n)
    statuses = [
        render.case_variant(status_pick[s], row_case[i] if case == "mixed" else case)
        for i, s in enumerate(snap["status"].to_list())
    ]
    chan_pick = {c: labels[int(rng.integers(0, len(labels)))] for c, labels in render.CHANNEL_LABELS.items()}
    bool_style = render.BOOL_STYLES[exp.index % len(render.BOOL_STYLES)]
    depts = render.department_variants(md, snap["department"].to_list(), rng, hand_kept=False)
    sids = snap["source_id"].to_list()
    for i, sid in enumerate(sids):
        if sid in unmatched and snap["department"][i] is not None:
            depts[i] = unmatched[sid]
    cols: dict[str, list] = {
        "source_id": [int(s) for s in sids] if style.get("float_ids") else sids,
        "title": snap["title"].to_list(),
        "body": snap["body"].to_list(),
        "classification": snap["classification"].to_list(),
        "category": render.category_variants(md, snap["category"].to_list(), snap["topic"].to_list(), rng, 0.1),
        "channel": [chan_pick.get(c, c) for c in snap["channel"].to_list()],
        "department": depts,
        "status": statuses,
        "kecamatan": snap["kecamatan"].to_list(),
        "kelurahan": render.kelurahan_variants(md, snap["kelurahan"].to_list(), rng),
        "location": [x or "" for x in snap["location"].to_list()],
        "is_anonymous": _bool(snap["is_anonymous"].to_list(), bool_style),
        "is_confidential": _bool(snap["is_confidential"].to_list(), bool_style),
        "reporter_name": [x or "" for x in snap["reporter_name"].to_list()],
        "reporter_phone": [x or "" for x in snap["reporter_phone"].to_list()],
        "reporter_email": [x or "" for x in snap["reporter_email"].to_list()],
        "reporter_nik": [x or "" for x in snap["reporter_nik"].to_list()],
        "satisfaction": [("" if x is None else int(x)) for x in snap["satisfaction"].to_list()],
    }
    for f in DATE_FIELDS:
        if date_form == "serial":
            cols[f] = snap[f].to_list()
        else:
            cols[f] = render.format_dates(snap[f], date_form, missing=missing, agustus=style.get("agustus", "Agu")).to_list()
    if style.get("hyperlink"):
        cols["title"] = [
            Formula(f'=HYPERLINK("https://www.lapor.go.id/laporan/detil/{s}","{ttl.replace(chr(34), chr(34) * 2)}")', ttl)
            for s, ttl in zip(sids, cols["title"], strict=True)
        ]
        features.add("hyperlink_formula")

    snap_status = snap["status"].to_list()
    fields = list(order)
    header = [headers[f] for f in fields]
    rel = f"lapor/lapor_export_{exp.date.isoformat()}.{exp.fmt}"
    sheet = Sheet(
        rel_path=rel, fmt=exp.fmt, kind="lapor", channel=None, snapshot=t, export_date=exp.date,
        header=header, fields=fields, features=features,
        date_form=date_form, agustus=style.get("agustus", "Agu"),
    )
    if exp.fmt == "csv":
        sheet.delimiter, sheet.encoding, sheet.line_terminator = style["delimiter"], style["encoding"], style["line_terminator"]
        features.add("semicolon" if style["delimiter"] == ";" else "comma")
        features.add({"cp1252": "windows1252", "utf-8-sig": "utf8_bom", "utf-8": "utf8"}[style["encoding"]])
    if style.get("title_block"):
        sheet.rows.append(Row("title", ["DAFTAR LAPORAN SP4N-LAPOR! PEMERINTAH KOTA BLITAR"], merge=True))
        sheet.rows.append(Row("title", [f"Diunduh {date_long(exp.date)} pukul 00.00 WIB"], merge=True))
        sheet.rows.append(Row("blank", []))
        features.add("title_block")
    sheet.rows.append(Row("header", header))
    for i in range(n):
        sheet.rows.append(Row("data", [cols[f][i] for f in fields], key=sids[i], status=snap_status[i]))
    features.add(f"dates_{date_form}")
    if date_form == "id_abbr_time":
        features.add("indonesian_month_names")
    if style.get("float_ids"):
        features.add("numeric_ids")
    if missing == "-":
        features.add("dash_for_missing")
    if any("\n" in b for b in cols["body"]):
        features.add("multiline_fields")
    features.add(f"status_case_{case}")
    return sheet


# ---------------------------------------------------------------- the real "Laporan Ringkas" layout
# input-formats.md 1a: what SP4N-LAPOR! actually gives an instansi. Title block in rows
# 1-10, header in row 11, every cell text, English month abbreviations, the time in its
# own column, no lifecycle date at all, the wilayah at the end of the body.
RINGKAS_FIELDS = (
    "source_id", "reported_at", "reported_time", "classification", "category_id", "category", "title",
    "body_initial", "body", "flags", "channel", "parent_agency", "department_id", "department", "status",
    "status_reason", "province", "regency",
)
RINGKAS_HEADER = (
    "Tracking ID", "Tanggal Laporan Masuk", "Waktu Laporan Masuk", "Klasifikasi Laporan", "ID Kategori", "Kategori",
    "Judul Laporan", "Isi Laporan Awal", "Isi Laporan Akhir", "Tipe Laporan (Anonim/Rahasia)", "Sumber Laporan",
    "Instansi Induk", "ID Instansi Terdisposisi", "Instansi Terdisposisi", "Status Laporan", "Alasan Tunda/Arsip",
    "Provinsi", "Kota/Kabupaten",
)
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# How the national system spells the canonical statuses and the demo's channels.
RINGKAS_STATUS = {
    "unverified": ("Belum Terverifikasi",),
    "awaiting_response": ("Terdisposisi",),
    "in_progress": ("Ditindaklanjuti",),
    "postponed": ("Menunggu Kelengkapan Informasi",),
    "archived": ("Diarsipkan oleh Admin", "Diarsipkan oleh Sistem", "Konten Terblokir"),
    "not_authority": ("Dialihkan",),
}
RINGKAS_CHANNEL = {
    "SP4N-LAPOR! Website": ("Website", "Website - pemerintah-kota-blitar"),
    "SP4N-LAPOR! Aplikasi": ("Android",),
    "SMS 1708": ("SMS",),
    "Twitter/X @lapor1708": ("Twitter",),
    "Form Manual LAPOR!": ("Hotline Service",),
}
RINGKAS_CLASSIFICATION = {"Pengaduan": "Pengaduan Tidak Berkadar Pengawasan"}
RINGKAS_REASON = {
    "postponed": "Mohon lengkapi lokasi dan foto kejadian",
    "archived": "Laporan tidak dapat ditindaklanjuti",
}


def ringkas_date(exports: list[Export]) -> dt.date | None:
    """The Ringkas export's date: between the last two monthly exports (recent, so it shows
    in the dashboard's latest data), so every complaint in it appears again, with its dates,
    in the last export."""
    if len(exports) < 3:
        return None
    a, b = exports[-2].date, exports[-1].date
    if (b - a).days < 2:
        return None
    return a + dt.timedelta(days=min(14, (b - a).days // 2))


def _national_category(md: MasterData, category: str | None, rng: np.random.Generator) -> str:
    """A LAPOR! national category for a city category (category_map.yaml read backwards),
    sometimes as "Lainnya terkait X"."""
    if not category:
        return ""
    names = sorted(k for k, v in md.category_map_names.items() if v == category)
    if not names:
        return category
    name = names[int(rng.integers(0, len(names)))]
    return f"Lainnya terkait {name}" if rng.random() < 0.15 else name


def _ringkas_status(status: str, responded: bool, rng: np.random.Generator) -> str:
    if status == "resolved":  # LAPOR! closes by itself only after a response
        return ("Ditutup oleh Sistem", "Ditutup oleh Pelapor")[int(rng.random() < 0.2)] if responded else "Ditutup oleh Admin"
    labels = RINGKAS_STATUS[status]
    return labels[int(rng.integers(0, len(labels)))]


def build_ringkas(lapor: pl.DataFrame, date: dt.date, md: MasterData, unmatched: dict[str, str], seed: int) -> Sheet:
    """The export dated ``date`` in the real "Laporan Ringkas" layout (its own random
    stream, so the other files are the same with or without it)."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 1708, date.toordinal()]))
    t = dt.datetime.combine(date, dt.time())
    prev = date - dt.timedelta(days=1)
    cover = dt.datetime(prev.year - 1, 12, 1) if prev.month == 1 else dt.datetime(prev.year, 1, 1)
    snap = state_at(lapor.filter(pl.col("reported_at") >= cover), t).sort(["reported_at", "source_id"])
    city = md.city.get("name", "Kota Blitar")
    dept_ids = {d: str(90100 + i) for i, d in enumerate(md.department_names)}
    sheet = Sheet(
        rel_path=f"lapor/lapor_export_{date.isoformat()}_laporan_ringkas.xlsx", fmt="xlsx", kind="lapor", channel=None,
        snapshot=t, export_date=date, header=list(RINGKAS_HEADER), fields=list(RINGKAS_FIELDS),
        features={"lapor_ringkas", "title_block", "english_month_names", "separate_time_column", "no_lifecycle_dates",
                  "flags_in_one_cell", "wilayah_in_body"},
        date_form="ringkas", sheet_name="Laporan Ringkas",
    )
    for label, value in (("Judul Laporan", "Laporan Ringkas"), ("Nama Instansi", md.city.get("pemda", city)),
                         ("Tanggal Generate", date.isoformat()),
                         ("Periode Masuk", f"({cover.date().isoformat()}) - ({prev.isoformat()})"), ("Pengelola", "")):
        sheet.rows += [Row("title", [label, "", value]), Row("blank", [])]
    sheet.rows.append(Row("header", list(RINGKAS_HEADER)))
    for r in snap.iter_rows(named=True):
        rep: dt.datetime = r["reported_at"]
        dept = r["department"]
        shown = unmatched.get(r["source_id"], f"{dept} {city}") if dept else ""
        tail = f" Lokasi Kejadian {city} | {r['kecamatan'] or ''} | {r['kelurahan'] or ''} | {r['location'] or ''}"
        flags = "|".join(x for x, on in (("Anonim", r["is_anonymous"]), ("Rahasia", r["is_confidential"])) if on)
        chans = RINGKAS_CHANNEL.get(r["channel"], (r["channel"],))
        cells = {
            "source_id": r["source_id"],
            "reported_at": f"{rep.day} {_EN_MONTHS[rep.month - 1]} {rep.year}",
            "reported_time": rep.strftime("%H:%M:%S"),
            "classification": RINGKAS_CLASSIFICATION.get(r["classification"], r["classification"] or ""),
            "category": _national_category(md, r["category"], rng),
            "title": r["title"] or "",
            "body_initial": r["body"] or "",
            "body": (r["body"] or "") + tail,
            "flags": flags,
            "channel": chans[int(rng.integers(0, len(chans)))],
            "parent_agency": md.city.get("pemda", city),
            "department_id": dept_ids.get(dept, "") if dept and r["source_id"] not in unmatched else "",
            "department": shown,
            "status": _ringkas_status(r["status"], r["first_response_at"] is not None, rng),
            "status_reason": RINGKAS_REASON.get(r["status"], ""),
            "province": md.city.get("province", ""),
            "regency": city,
        }
        cells["category_id"] = str(1000 + sum(map(ord, cells["category"])) % 900) if cells["category"] else ""
        sheet.rows.append(Row("data", [cells[f] for f in RINGKAS_FIELDS], key=r["source_id"], status=r["status"]))
    return sheet
