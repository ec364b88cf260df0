"""Ingestion and data-quality settings from ``config/ingest.yaml``."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.masterdata import ConfigError, read_yaml


@dataclass(frozen=True)
class IngestSettings:
    dup_window_days: int = 3
    dup_min_similarity: float = 95.0
    max_blocking_share: float = 0.05
    stale_after_days: int = 35
    earliest_plausible_date: dt.date = dt.date(2000, 1, 1)
    # DuckDB's buffer pool during `monev run`: MiB, or a share of the machine's memory (0-1].
    memory_limit: float = 1536.0

    def memory_limit_bytes(self) -> int:
        """The build connection's memory_limit in bytes (a share of physical memory, at least 1 GiB)."""
        if self.memory_limit > 1:
            return int(self.memory_limit * 2**20)
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError, AttributeError):
            total = 8 * 2**30
        return max(2**30, int(total * self.memory_limit))


def load_ingest_settings(config_dir: Path) -> IngestSettings:
    """Read config/ingest.yaml (defaults when the file is absent)."""
    path = Path(config_dir) / "ingest.yaml"
    if not path.exists():
        return IngestSettings()
    raw = read_yaml(path)
    dup = raw.get("duplicates") or {}
    q = raw.get("quality") or {}
    build = raw.get("build") or {}
    try:
        earliest = q.get("earliest_plausible_date", dt.date(2000, 1, 1))
        if isinstance(earliest, str):
            earliest = dt.date.fromisoformat(earliest)
        s = IngestSettings(
            dup_window_days=int(dup.get("window_days", 3)),
            dup_min_similarity=float(dup.get("min_similarity", 95)),
            max_blocking_share=float(q.get("max_blocking_share", 0.05)),
            stale_after_days=int(q.get("stale_after_days", 35)),
            earliest_plausible_date=earliest,
            memory_limit=float(build.get("memory_limit", 1536)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"ingest.yaml: nilai tidak valid ({exc}); periksa angka dan tanggalnya.") from exc
    if not 0 <= s.max_blocking_share <= 1:
        raise ConfigError("ingest.yaml: quality.max_blocking_share harus antara 0 dan 1 (mis. 0.05 untuk 5%).")
    if s.memory_limit <= 0:
        raise ConfigError("ingest.yaml: build.memory_limit harus > 0 (bagian memori, mis. 0.1, atau MiB, mis. 2048).")
    if not 0 <= s.dup_min_similarity <= 100:
        raise ConfigError("ingest.yaml: duplicates.min_similarity harus antara 0 dan 100.")
    return s
