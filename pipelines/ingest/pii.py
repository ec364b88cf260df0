"""Personal data: the patterns that find phones, emails and NIK in text, their
redaction, and the salted reporter hash.

The patterns are written once here and used everywhere (ingestion, the PII scan
of every curated string column, exports). They use only syntax shared by
Python ``re``, Rust ``regex`` (polars) and RE2 (DuckDB): no look-around, no
back-references.
"""

from __future__ import annotations

import re

import polars as pl

# Written to catch what people actually type: digits in ASCII or full width (０-９, from phone
# keyboards), grouped or spelled out one by one (0 8 1 2 ...), a NIK run into a letter
# (3572015204990061x), and addresses with the @ and dots written out (budi(at)gmail(dot)com).
# No look-around: a leading "boundary" is a captured character (group 1, put back by every
# replacement) and there is no trailing one, so a longer run of digits is redacted too.
D = "[0-9０-９]"
_SEP = "[ .-]?"
# Order matters: emails first (they may contain digits), then NIK (16 digits), then phone numbers.
_AT = r"(?:\s?[@＠]\s?|\s?[(\[{]\s?(?i:at|et)\s?[)\]}]\s?)"
_DOT = r"(?:\.|\s?[(\[{]\s?(?i:dot|titik)\s?[)\]}]\s?)"
EMAIL_PATTERN = rf"()[A-Za-z0-9._%+-]+{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}[A-Za-z]{{2,}}"
# NIK: 16 digits, the first two a province code (11-94), optionally grouped with spaces, dots or dashes.
NIK_PATTERN = rf"(^|[^0-9０-９])[1-9１-９]{_SEP}{D}(?:{_SEP}{D}){{14}}"
# Indonesian mobile numbers (08.., +62 8.., 62 8..) and landlines with an area code
# ((0342) 801234, 0342-801234).
PHONE_PATTERN = (
    rf"(^|[^0-9０-９A-Za-z])(?:[+＋]?[6６][2２]{_SEP}|[0０]{_SEP})[8８]{_SEP}{D}(?:{_SEP}{D}){{6,11}}"
    rf"|(^|[^0-9０-９A-Za-z])(?:\([0０]{D}{{2,3}}\)|[0０]{D}{{2,3}}){_SEP}{D}{{3,4}}{_SEP}{D}{{3,4}}"
)

REDACTIONS: tuple[tuple[str, str, str], ...] = (
    ("email", EMAIL_PATTERN, "[email]"),
    ("nik", NIK_PATTERN, "[NIK]"),
    ("phone", PHONE_PATTERN, "[telepon]"),
)
PII_PATTERNS: dict[str, str] = {kind: pat for kind, pat, _ in REDACTIONS}
# One pattern that finds any of them (for scans: DuckDB regexp_matches, re.search).
# (without capture groups: a scan only asks whether there is a match)
ANY_PII_PATTERN = "|".join(f"(?:{p})" for p in PII_PATTERNS.values()).replace("(^|", "(?:^|").replace("(?:()", "(?:")

_COMPILED = tuple((re.compile(p), token) for _, p, token in REDACTIONS)
_ANY = re.compile(ANY_PII_PATTERN)


def _keep_lead(token: str):
    def sub(m: re.Match) -> str:
        return next((g for g in m.groups() if g), "") + token

    return sub


def redact_text(text: str | None) -> str | None:
    """Replace phones, emails and NIK in one string by [telepon], [email], [NIK]."""
    if text is None:
        return None
    for rx, token in _COMPILED:
        text = rx.sub(_keep_lead(token), text)
    return text


def find_pii(text: str | None) -> list[str]:
    """The kinds of personal data found in a string (empty if none)."""
    if not text:
        return []
    return [kind for kind, pat, _ in REDACTIONS if re.search(pat, text)]


def contains_pii(text: str | None) -> bool:
    return bool(text) and _ANY.search(text) is not None


def redact_expr(expr: pl.Expr) -> pl.Expr:
    """The polars expression that redacts a string column (vectorised)."""
    for _, pat, token in REDACTIONS:
        groups = re.compile(pat).groups
        lead = "".join(f"${{{i}}}" for i in range(1, groups + 1))
        expr = expr.str.replace_all(pat, lead + token)
    return expr


# A necessary condition for any of the patterns above: an '@' (email), or nine digits
# separated by at most two of ' .()+-' (every NIK and phone number has at least nine
# digits: 16 for a NIK, 0/62 + 8x + six more for a mobile, 0xx(x) + 3 + 3 for a
# landline, with at most ")" and one of ' .-' between two of them). A text without it
# is left unchanged by redact_expr, so only the rows that pass need the three patterns.
PII_PREFILTER = rf"[@＠]|[(\[{{]\s?(?i:at|et)\s?[)\]}}]|{D}(?:[ .()+＋-]{{0,2}}{D}){{8}}"


def redact_series(s: pl.Series) -> pl.Series:
    """redact_expr on a string Series, byte for byte, but the three patterns run only on
    the rows that pass the cheap PII_PREFILTER test (a few percent of free text)."""
    mask = s.str.contains(PII_PREFILTER).fill_null(False)
    if not mask.any():
        return s
    idx = mask.arg_true()
    fixed = pl.select(redact_expr(pl.lit(s.gather(idx)))).to_series()
    return s.clone().scatter(idx, fixed)


def phone_key_expr(expr: pl.Expr) -> pl.Expr:
    """Normalise a phone number for hashing: digits only, +62/62 prefix -> 0."""
    digits = expr.str.replace_all(r"[^0-9]", "")
    return (
        pl.when(digits.str.starts_with("62"))
        .then(pl.lit("0") + digits.str.slice(2))
        .when(digits.str.starts_with("8"))
        .then(pl.lit("0") + digits)
        .otherwise(digits)
    )


def contact_key_expr(
    phone: pl.Expr | None, email: pl.Expr | None, nik: pl.Expr | None, name: pl.Expr | None
) -> pl.Expr:
    """The normalised contact a reporter hash is computed from: the phone if
    present, else the email, else the NIK, else the name (null if none)."""
    parts: list[pl.Expr] = []
    if phone is not None:
        p = phone_key_expr(phone)
        parts.append(pl.when(p.str.len_chars() >= 6).then(pl.lit("tel:") + p))
    if email is not None:
        e = email.str.strip_chars().str.to_lowercase()
        parts.append(pl.when(e.str.contains("@")).then(pl.lit("email:") + e))
    if nik is not None:
        n = nik.str.replace_all(r"[^0-9]", "")
        parts.append(pl.when(n.str.len_chars() == 16).then(pl.lit("nik:") + n))
    if name is not None:
        nm = name.str.to_lowercase().str.replace_all(r"[^0-9a-z]+", " ").str.strip_chars()
        parts.append(pl.when(nm.str.len_chars() >= 3).then(pl.lit("nama:") + nm))
    if not parts:
        return pl.lit(None, dtype=pl.String)
    return pl.coalesce(parts)
