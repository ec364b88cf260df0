"""The fast paths of ingestion give the same bytes as the full redaction.

PII patterns run only on the rows that pass a cheap pre-test (pipelines.ingest.pii.redact_series),
and the reporter's own name is looked for only in the rows whose text holds the name's first word
(canonical._finish_in_duckdb). Both are checked here against the plain definitions on a generated
sample with planted phones, NIK, emails and names, and decoys that must stay.
"""

from __future__ import annotations

import csv
import random
import re

import polars as pl

from pipelines.ingest import load_profiles, stage_file
from pipelines.ingest.pii import PII_PREFILTER, redact_expr, redact_series, redact_text
from pipelines.masterdata import load_master_data

MD = load_master_data()
PROFILES = load_profiles(MD.config_dir)

WORDS = ("jalan", "rusak", "lampu", "mati", "mohon", "segera", "ditindaklanjuti", "kelurahan", "sampah",
         "menumpuk", "di", "depan", "rumah", "warga", "sudah", "lapor", "tarif", "parkir", "Pak", "Bu")
NAMES = ("Yuli Wibowo", "Tari", "Budi  Santoso", "Dewi (Ibu)", "Ani", "Gilang Wahyuni", "Sri", "Eko Prasetyo")


def _pii(rng: random.Random) -> str:
    d = lambda k: "".join(rng.choice("0123456789") for _ in range(k))  # noqa: E731
    return rng.choice([
        f"08{d(9)}", f"+62 8{d(2)}-{d(4)}-{d(4)}", f"628{d(10)}", f"0{d(2)}8.{d(3)}.{d(4)}",
        f"(0342) {d(6)}", f"0342-{d(6)}", f"35{d(14)}", f"35{d(2)} {d(4)} {d(4)} {d(4)}", f"35.{d(2)}.{d(12)}",
        f"{rng.choice(['budi', 'x.y'])}{d(2)}@gmail.com", "ani@dinas.blitarkota.go.id",
        # decoys: dates, money, register numbers, short numbers (kept as they are)
        f"{d(2)}-{d(2)}-2024", f"Rp {d(3)}.000", f"nomor {d(3)}/{d(3)}/2024", f"RT {d(2)} RW {d(2)}", d(7),
        f"{d(8)}", "a@b", f"{d(4)} {d(4)}",
    ])


def _text(rng: random.Random, name: str | None) -> str:
    parts = [rng.choice(WORDS) for _ in range(rng.randint(2, 12))]
    for _ in range(rng.randint(0, 2)):
        parts.insert(rng.randint(0, len(parts)), _pii(rng))
    if name and rng.random() < 0.4:
        variant = rng.choice([name, name.upper(), name.lower(), name.replace(" ", "   "), name + "x", "x" + name])
        parts.insert(rng.randint(0, len(parts)), variant)
    return " ".join(parts)


def test_redact_series_equals_the_full_redaction():
    rng = random.Random(7)
    texts = [None if rng.random() < 0.05 else _text(rng, None) for _ in range(3000)]
    s = pl.Series("body", texts, dtype=pl.String)
    fast = redact_series(s)
    full = pl.select(redact_expr(pl.lit(s))).to_series()
    assert fast.to_list() == full.to_list()
    assert fast.to_list() == [redact_text(t) for t in texts]
    changed = sum(a != b for a, b in zip(texts, fast.to_list(), strict=True))
    passed = int(s.str.contains(PII_PREFILTER).fill_null(False).sum())
    # the sample exercises both paths: rows redacted, and rows the pre-test lets through untouched
    assert 300 < changed < passed < len(texts) - 300
    # every row the full redaction changes passes the pre-test
    assert all(t is None or redact_text(t) == t or re.search(PII_PREFILTER, t) for t in texts)


def test_redact_series_without_any_candidate_is_the_input():
    s = pl.Series(["lampu mati", None, "RT 02 RW 05, Rp 50.000"])
    assert redact_series(s).to_list() == ["lampu mati", None, "RT 02 RW 05, Rp 50.000"]


def _name_sub(name: str, text: str | None) -> str | None:
    """The reporter's name as a whole word, case-insensitive, whitespace runs as one (the definition)."""
    n = name.strip()
    if text is None or len(n) < 4:
        return text
    core = r"\s+".join(re.escape(w) for w in n.split())
    left = r"\b" if re.match(r"[0-9A-Za-z_]", n) else ""
    right = r"\b" if re.search(r"[0-9A-Za-z_]$", n) else ""
    return re.sub(f"{left}{core}{right}", "[nama]", text, flags=re.IGNORECASE | re.ASCII)


def test_staged_text_equals_pii_then_name_redaction_on_a_generated_sample(tmp_path):
    rng = random.Random(11)
    header = ["Tracking ID", "Tanggal Laporan", "Status", "Judul Laporan", "Isi Laporan", "Lokasi",
              "Nama Pelapor", "No HP", "Email", "NIK", "Kategori", "Instansi Terdisposisi"]
    rows, expected = [], []
    for i in range(1500):
        name = rng.choice(NAMES)
        title, body, loc = _text(rng, name), _text(rng, name), (_text(rng, name) if rng.random() < 0.7 else "")
        rows.append([str(1000 + i), "08/07/2024", "Proses", title, body, loc, name, "", "", "", "", ""])
        expected.append(tuple(_name_sub(name, redact_text(t or None)) for t in (title, body, loc)))
    p = tmp_path / "lapor.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    r = stage_file(p, MD, PROFILES, salt=b"s1").rows.sort("source_row")
    got = list(zip(r["title"].to_list(), r["body"].to_list(), r["location"].to_list(), strict=True))
    assert got == expected
    flat = [t for row in got for t in row if t]
    assert sum("[nama]" in t for t in flat) > 300
    assert sum(bool(re.search(r"\[(telepon|NIK|email)\]", t)) for t in flat) > 300
