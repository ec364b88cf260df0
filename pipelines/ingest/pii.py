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
# No look-around (RE2 and Rust have none): the character before a number (group ``l``/``l2``) and
# the one after it (group ``t``/``t2``) are matched and put back by every replacement. The NIK's
# neighbours may not be hex digits, so a 32-hex hash that starts with 16 digits is not a NIK.
D = "[0-9０-９]"
_SEP = "[ .-]?"
_AT = r"(?:\s?[@＠]\s?|\s?[(\[{]\s?(?i:at|et)\s?[)\]}]\s?)"
_DOT = r"(?:\.|\s?[(\[{]\s?(?i:dot|titik)\s?[)\]}]\s?)"
EMAIL_PATTERN = rf"[A-Za-z0-9._%+-]+{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}[A-Za-z]{{2,}}"
# NIK: 16 digits, the first two a province code (11-94), optionally grouped with spaces, dots or dashes.
NIK_PATTERN = (rf"(?P<l>^|[^0-9０-９a-fA-F])[1-9１-９]{_SEP}{D}(?:{_SEP}{D}){{14}}"
               r"(?P<t>$|[^0-9０-９a-zA-Z]|[g-zG-Z]|[a-fA-F](?:$|[^0-9a-zA-Z]))")
# Indonesian mobile numbers (08.., +62 8.., 62 8..) and landlines with an area code
# ((0342) 801234, 0342-801234).
# As for the NIK, a number followed by a hex letter that runs on (0948595690f5...: a hash) is not a phone.
_PHONE_TAIL = r"$|[^0-9０-９a-zA-Z]|[g-zG-Z]|[a-fA-F](?:$|[^0-9a-zA-Z])"
PHONE_PATTERN = (
    rf"(?P<l>^|[^0-9０-９A-Za-z])(?:[+＋]?[6６][2２]{_SEP}|[0０]{_SEP})[8８]{_SEP}{D}(?:{_SEP}{D}){{6,11}}"
    rf"(?P<t>{_PHONE_TAIL})"
    rf"|(?P<l2>^|[^0-9０-９A-Za-z])(?:\([0０]{D}{{2,3}}\)|[0０]{D}{{2,3}}){_SEP}{D}{{3,4}}{_SEP}{D}{{3,4}}"
    rf"(?P<t2>{_PHONE_TAIL})"
)

# Order matters: emails first (they may contain digits), then NIK (16 digits), then phone numbers.
REDACTIONS: tuple[tuple[str, str, str], ...] = (
    ("email", EMAIL_PATTERN, "[email]"),
    ("nik", NIK_PATTERN, "[NIK]"),
    ("phone", PHONE_PATTERN, "[telepon]"),
)


def _scan_form(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


PII_PATTERNS: dict[str, str] = {kind: _scan_form(pat) for kind, pat, _ in REDACTIONS}
# One pattern that finds any of them (for scans: DuckDB regexp_matches, re.search); no capture groups.
ANY_PII_PATTERN = "|".join(f"(?:{p})" for p in PII_PATTERNS.values())

_COMPILED = tuple((re.compile(p), token) for _, p, token in REDACTIONS)
_ANY = re.compile(ANY_PII_PATTERN)
_GROUPS = ("l", "l2")


def _keep_context(token: str):
    def sub(m: re.Match) -> str:
        g = m.groupdict()
        return (g.get("l") or g.get("l2") or "") + token + (g.get("t") or g.get("t2") or "")

    return sub


def _polars_replacement(pattern: str, token: str) -> str:
    names = re.compile(pattern).groupindex
    lead = "".join(f"${{{n}}}" for n in _GROUPS if n in names)
    return lead + token + "".join(f"${{{n}}}" for n in ("t", "t2") if n in names)


def redact_text(text: str | None) -> str | None:
    """Replace phones, emails and NIK in one string by [telepon], [email], [NIK]."""
    if text is None:
        return None
    for rx, token in _COMPILED:
        # twice: the character between two adjacent numbers is the context of both
        text = rx.sub(_keep_context(token), rx.sub(_keep_context(token), text))
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
        rep = _polars_replacement(pat, token)
        expr = expr.str.replace_all(pat, rep).str.replace_all(pat, rep)
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
