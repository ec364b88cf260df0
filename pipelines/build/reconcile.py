"""Reconciliation that stays true when nothing is published.

Per file, every run: ``dibaca = dimuat + karantina + dilewati + tertunda``. *tertunda* (pending) are
rows that were read and passed (or were never checked) but were not loaded because the run was
refused (another file refused) or held by the quality gate; it is 0 on a published run, where the
line is the familiar ``dibaca = dimuat + karantina + dilewati``.
"""

from __future__ import annotations


def mark_unpublished(result) -> None:
    """After a refused or held run: nothing was loaded, so what would have loaded is pending."""
    if result.status not in ("refused", "blocked"):
        return
    for f in result.files:
        if f.status != "ok":
            continue
        f.rows_pending = max(0, f.rows_read - f.rows_quarantined - f.rows_skipped)
        f.rows_loaded = 0


def identity_holds(f) -> bool:
    return f.rows_read == f.rows_loaded + f.rows_quarantined + f.rows_skipped + f.rows_pending


def identity_label(files) -> str:
    pending = any(getattr(f, "rows_pending", 0) for f in files)
    return "dibaca = dimuat + karantina + dilewati" + (" + tertunda" if pending else "")
