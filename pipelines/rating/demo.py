"""Plausible demo evidence (bukti dukung) with small generated files.

Set up so the demo city comes out "Baik" with a reachable path to "Sangat Baik":
most documents are there and verified, some are missing, some only submitted
(diajukan), one rejected. Every file says it is a demo document.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zlib
from dataclasses import dataclass

from pipelines import fmt
from pipelines.rating.evidence import EvidenceRecord, add_evidence, reject_evidence, verify_evidence
from pipelines.rating.model import RatingModel, load_model
from pipelines.settings import Paths
from pipelines.state import open_state, state_path, transaction

DEMO_RECORDER = "Admin Diskominfotik (demo)"
DEMO_VERIFIER = "Evaluator internal (demo)"


@dataclass(frozen=True)
class _Doc:
    indicator: str
    doc_type: str
    title: str
    date: dt.date
    status: str  # diajukan | diverifikasi | ditolak
    year: int
    reason: str | None = None


def demo_pdf(title: str, doc_type: str, date: dt.date, city: str = "Kota Blitar") -> bytes:
    """A one-page PDF saying what the document is, byte-identical for the same input."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas


    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    w, h = A4
    c.setFont("Helvetica-Bold", 13)
    c.drawCentredString(w / 2, h - 70, f"PEMERINTAH {city.upper()}")
    c.setFont("Helvetica", 10)
    c.drawCentredString(w / 2, h - 86, "DOKUMEN CONTOH (DEMO) – BUKAN DOKUMEN RESMI")
    c.line(60, h - 96, w - 60, h - 96)
    c.setFont("Helvetica-Bold", 11)
    y = h - 130
    words, line = title.split(), ""
    for word in words:
        if len(line) + len(word) > 80:
            c.drawString(60, y, line)
            y, line = y - 16, ""
        line = f"{line} {word}".strip()
    c.drawString(60, y, line)
    c.setFont("Helvetica", 10)
    c.drawString(60, y - 30, f"Jenis dokumen: {doc_type}")
    c.drawString(60, y - 46, f"Tanggal: {fmt.date_long(date)}")
    c.drawString(60, y - 76, "Berkas ini dibuat otomatis untuk data demo Monev Pengaduan.")
    c.showPage()
    c.save()
    return buf.getvalue()


def demo_png(seed: int, width: int = 48, height: int = 32) -> bytes:
    """A tiny PNG 'photo' (colour blocks), byte-identical for the same seed."""
    rng = random.Random(seed)
    colours = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(4)]
    rows = b"".join(
        b"\x00" + b"".join(bytes(colours[(x * 2 // width) + 2 * (y * 2 // height)]) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _docs(year_from: int, year_to: int, rng: random.Random) -> list[_Doc]:
    docs: list[_Doc] = []
    kecamatan = ["Sukorejo", "Kepanjenkidul", "Sananwetan"]
    places = ["Jl. Kalimantan", "Jl. Merdeka", "Jl. Sudanco Supriadi", "Jl. Cokroaminoto", "Jl. Veteran"]
    # Regulation in force: an SOP from before the demo, then Perwali 40/2025 (in force from its year on).
    docs.append(_Doc("regulasi_pengaduan", "SOP", "SOP Pengelolaan Pengaduan Masyarakat melalui SP4N-LAPOR! "
                     "Dinas Komunikasi, Informatika dan Statistik", dt.date(year_from - 1, 10, 2), "diverifikasi",
                     year_from))
    if year_from <= 2025 <= year_to:
        docs.append(_Doc("regulasi_pengaduan", "Perwali", "Peraturan Wali Kota Blitar Nomor 40 Tahun 2025 tentang "
                         "Pedoman Pengelolaan Pengaduan", dt.date(2025, 6, 16), "diverifikasi", 2025))
    for y in range(year_from, year_to + 1):
        last = y == year_to  # the year still in progress: less complete, some only submitted
        # SK of the complaint team, renewed every January
        docs.append(_Doc("sk_tim_pengaduan", "SK", f"Keputusan Wali Kota Blitar Nomor 188/{rng.randint(10, 60)}/"
                         f"410.010.2/{y} tentang Tim Pengelola Pengaduan dan Admin Penghubung Perangkat Daerah",
                         dt.date(y, 1, rng.randint(6, 20)), "diajukan" if last else "diverifikasi", y))
        # Outreach: three events verified, a fourth only submitted (last year: two verified)
        n_events = 2 if last else 3
        for e in range(n_events + 1):
            kec = kecamatan[e % 3]
            day = dt.date(y, 2 + 3 * e, rng.randint(3, 25))
            status = "diajukan" if e == n_events else "diverifikasi"
            docs.append(_Doc("sosialisasi_kanal", "undangan", f"Undangan sosialisasi kanal pengaduan SP4N-LAPOR! "
                             f"dan SAPA MAS WALI di Kecamatan {kec}", day, status, y))
            docs.append(_Doc("sosialisasi_kanal", "foto", f"Dokumentasi sosialisasi kanal pengaduan di Kecamatan {kec}",
                             day, status, y))
        # Training of the OPD admin penghubung: the report (laporan) is still only submitted
        bday = dt.date(y, 5, rng.randint(12, 23))
        docs.append(_Doc("bimtek_pengelola", "undangan", f"Undangan bimtek admin penghubung SP4N-LAPOR! {y}", bday,
                         "diverifikasi", y))
        docs.append(_Doc("bimtek_pengelola", "daftar hadir", f"Daftar hadir bimtek admin penghubung SP4N-LAPOR! {y}",
                         bday, "diverifikasi", y))
        if not last:
            docs.append(_Doc("bimtek_pengelola", "laporan", f"Laporan pelaksanaan bimtek admin penghubung {y}", bday,
                             "diajukan", y))
        # Policies based on complaint data: one verified, one rejected (a draft, not signed)
        docs.append(_Doc("kebijakan_berbasis_pengaduan", "surat edaran", f"Surat Edaran Sekretaris Daerah tentang "
                         f"penertiban juru parkir liar berdasarkan rekap pengaduan {y}", dt.date(y, 8, rng.randint(1, 28)),
                         "diverifikasi", y))
        docs.append(_Doc("kebijakan_berbasis_pengaduan", "laporan", f"Konsep laporan analisis pengaduan PJU {y}",
                         dt.date(y, 9, rng.randint(1, 28)), "ditolak", y,
                         "Masih konsep, belum ditandatangani; unggah versi yang sudah disahkan."))
        # Documented service improvements: photos of repaired street lights
        if not last:
            place = rng.choice(places)
            docs.append(_Doc("perbaikan_layanan", "foto", f"Foto PJU {place} sesudah diperbaiki menindaklanjuti "
                             "pengaduan", dt.date(y, 10, rng.randint(1, 28)), "diverifikasi", y))
    return docs


def seed_demo_evidence(
    paths: Paths, *, year_from: int, year_to: int, seed: int = 42, model: RatingModel | None = None
) -> list[EvidenceRecord]:
    """Write demo evidence records (and their files) for ``year_from``..``year_to``.

    Earlier demo records (recorded by the demo user) are replaced; others are kept.
    """
    model = model or load_model(config_dir=paths.config_dir)
    known = {i.id for i in model.evidence_indicators}
    rng = random.Random(seed)

    if state_path(paths).exists():
        with open_state(paths) as con, transaction(con):
            con.execute("DELETE FROM evidence WHERE recorded_by = ?", [DEMO_RECORDER])
    out = []
    for n, d in enumerate(_docs(year_from, year_to, rng)):
        if d.indicator not in known:  # an edited model may have dropped an indicator
            continue
        if d.doc_type == "foto":
            content, name = demo_png(seed * 1000 + n), f"foto_{d.date.isoformat()}_{n + 1}.png"
        else:
            content, name = demo_pdf(d.title, d.doc_type, d.date), f"{d.doc_type.replace(' ', '_')}_{d.date.isoformat()}_{n + 1}.pdf"
        at = dt.datetime.combine(d.date + dt.timedelta(days=2), dt.time(9, 0))
        rec = add_evidence(paths, indicator_id=d.indicator, year=d.year, doc_type=d.doc_type, title=d.title,
                           doc_date=d.date, recorded_by=DEMO_RECORDER, content=content, file_name=name, model=model,
                           recorded_at=at.isoformat(sep=" "))
        checked = (at + dt.timedelta(days=5)).isoformat(sep=" ")
        if d.status == "diverifikasi":
            rec = verify_evidence(paths, rec.evidence_id, by=DEMO_VERIFIER, at=checked)
        elif d.status == "ditolak":
            rec = reject_evidence(paths, rec.evidence_id, by=DEMO_VERIFIER, reason=d.reason or "Tidak sesuai.", at=checked)
        out.append(rec)
    return out
