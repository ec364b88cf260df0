"""Text from outside shown safely: control characters and bidirectional overrides escaped.

A file name such as ``rekap\u202eslx.csv`` (a right-to-left override) or one with a newline or an
escape sequence would reorder or break a terminal table and a page. ``shown_name`` writes every such
character as a visible escape (``\\u202e``, ``\\n``), so what is printed is what the name contains.
"""

from __future__ import annotations

import unicodedata

# Bidirectional embeddings, overrides, isolates and marks (Unicode category Cf among others).
_BIDI = {0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    o = ord(ch)
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"


def needs_escape(ch: str) -> bool:
    if ch == "\\":
        return False
    o = ord(ch)
    return o in _BIDI or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")


def shown_name(value: object) -> str:
    """``value`` as text with control, format (bidi, zero-width) and separator characters escaped."""
    s = "" if value is None else str(value)
    if all(ch.isprintable() and ord(ch) not in _BIDI for ch in s):
        return s
    return "".join(_escape(ch) if needs_escape(ch) or ch in "\n\r\t" else ch for ch in s)
