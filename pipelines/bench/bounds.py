"""The benchmark's own exports and the hostile-input bounds of ingest.yaml (used by the city and the
province sizes)."""

from __future__ import annotations

from pathlib import Path


def raise_input_bounds(ingest_yaml: Path, largest_bytes: int, rows: int) -> None:
    """Raise (never lower) ``limits.max_file_mb`` and ``limits.max_rows`` of an ingest.yaml so that the
    benchmark's own exports (the largest ``largest_bytes``, at most ``rows`` rows) are admitted."""
    import re

    text = ingest_yaml.read_text(encoding="utf-8")
    need_mb = int(largest_bytes / 1_000_000 * 1.1) + 10
    need_rows = rows + 1_000

    def _raise(key: str, need: int, t: str) -> str:
        return re.sub(rf"(\b{key}:\s*)(\d+)", lambda m: m.group(1) + str(max(int(m.group(2)), need)), t, count=1)

    ingest_yaml.write_text(_raise("max_file_mb", need_mb, _raise("max_rows", need_rows, text)), encoding="utf-8")
