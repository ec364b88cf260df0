"""Redaction of what people really type (issue 17 item 5): a property test generates phone numbers,
NIK and e-mail addresses with separators, full-width digits, a letter run on, and the @ and dots
written out; every variant is redacted the same way by Python, polars and found by DuckDB. The demo's
texts get no new redaction (no false positives)."""

from __future__ import annotations

import re

import duckdb
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.ingest.pii import ANY_PII_PATTERN, PII_PREFILTER, contains_pii, redact_expr, redact_text

FULL = {str(i): chr(0xFF10 + i) for i in range(10)}
SEPS = st.sampled_from(["", " ", ".", "-"])
TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,:;!?", max_size=20)


def _render(draw, digits: str) -> str:
    """Digits with one separator style (or one between every digit) and a width per digit."""
    sep = draw(SEPS)
    every = draw(st.booleans())
    out = []
    for i, d in enumerate(digits):
        if i and (every or i % 4 == 0):
            out.append(sep)
        out.append(FULL[d] if draw(st.booleans()) else d)
    return "".join(out)


@st.composite
def nik(draw):
    digits = str(draw(st.integers(11, 94))) + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=14,
                                                                       max_size=14)))
    return _render(draw, digits) + draw(st.sampled_from(["", "x", "A", " "])), "[NIK]"


@st.composite
def phone(draw):
    rest = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=10)))
    prefix = draw(st.sampled_from(["0", "62", "+62"]))
    body = _render(draw, "8" + rest)
    lead = prefix if prefix != "0" else _render(draw, "0")
    return lead + draw(st.sampled_from(["", " ", "-"])) + body, "[telepon]"


@st.composite
def email(draw):
    name = draw(st.from_regex(r"[a-z][a-z0-9._]{1,10}[a-z0-9]", fullmatch=True))
    dom = draw(st.sampled_from(["gmail", "yahoo", "blitarkota", "mail-server"]))
    tld = draw(st.sampled_from(["com", "go.id", "co.id", "net"]))
    at = draw(st.sampled_from(["@", " @ ", "＠", "(at)", " (at) ", "[at]", "(AT)", "{at}", " [et] "]))
    dot = draw(st.sampled_from([".", "(dot)", " (dot) ", "[dot]", "(titik)", "(DOT)"]))
    return name + at + dom + dot + tld.replace(".", dot), "[email]"


@settings(max_examples=300, deadline=None)
@given(st.one_of(nik(), phone(), email()), TEXT, TEXT)
def test_every_variant_is_redacted_alike_everywhere(case, before, after):
    value, token = case
    text = f"{before} {value} {after}".strip()
    red = redact_text(text)
    assert token in red, (text, red)
    # nothing of the number survives: no run of six digits (ASCII or full width) is left
    assert not re.search(r"[0-9０-９](?:[ .-]?[0-9０-９]){5}", red), (text, red)
    assert pl.DataFrame({"t": [text]}).select(redact_expr(pl.col("t"))).item() == red
    assert contains_pii(text) and re.search(PII_PREFILTER, text)
    assert duckdb.execute("SELECT regexp_matches(?, ?)", [text, ANY_PII_PATTERN]).fetchone()[0]
    assert not contains_pii(red), red


def test_the_forms_of_the_issue():
    assert redact_text("NIK 3572015204990061x") == "NIK [NIK]x"
    assert redact_text("hp 0 8 1 2 3 4 5 6 7 8 9 0 ya") == "hp [telepon] ya"
    assert redact_text("hp ０８１２３４５６７８９０") == "hp [telepon]"
    assert redact_text("kirim ke budi(at)gmail(dot)com.") == "kirim ke [email]."


def test_no_new_redaction_on_the_demo_texts(demo_data_dir):
    """Every title/body/location the demo writes: the patterns change nothing that the demo did not plant
    as personal data (the demo plants phones, e-mails and NIK in ordinary forms only)."""
    from pipelines.ingest.readers import read_file

    texts: list[str] = []
    for p in sorted((demo_data_dir / "raw").rglob("*")):
        if p.suffix.lower() in (".csv", ".xlsx", ".json") and p.is_file():
            info = read_file(p)
            for g in info.grids:
                df = g.df if g.df.height else None
                if info.kind == "csv":
                    from pipelines.ingest.readers import load_csv_body

                    df = load_csv_body(info, p.name, 0)
                if df is not None:
                    texts += [v for c in df.columns if c.startswith("c") for v in df[c].drop_nulls().to_list()]
    old_any = re.compile(
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}|\b[1-9][0-9](?:[ .-]?[0-9]){14}\b"
        r"|(?:\+62|\b62|\b0)[ .-]?8[0-9](?:[ .-]?[0-9]){6,11}\b"
        r"|(?:\(0[0-9]{2,3}\)|\b0[0-9]{2,3})[ .-]?[0-9]{3,4}[ .-]?[0-9]{3,4}\b"
    )
    assert len(texts) > 1000
    new_hits = [t for t in set(texts) if contains_pii(t) and not old_any.search(t)]
    assert new_hits == []


def test_hashes_and_long_numbers_are_not_personal_data():
    for t in ["3346807173766382cc7aaedcaae3a384", "a3572015204990061bcdef0123456789", "0812345678901234567"]:
        assert not contains_pii(t) and redact_text(t) == t
    assert redact_text("hp 081234567890 081298765432 ok") == "hp [telepon] [telepon] ok"
    assert redact_text("3572015204990061 3572015204990062") == "[NIK] [NIK]"
