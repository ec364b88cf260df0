"""Where things live: the data directory, the config directory, and secrets.

Every command takes ``--data-dir`` (default ``./data``, or env ``MONEV_DATA_DIR``)
so several warehouses can live side by side. The config directory defaults to
the project's ``config/`` (env ``MONEV_CONFIG_DIR`` overrides it).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"
WAREHOUSE_NAME = "monev.duckdb"


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The data directory: the argument, else ``MONEV_DATA_DIR``, else ``./data``."""
    if data_dir is None:
        data_dir = os.environ.get("MONEV_DATA_DIR") or "data"
    return Path(data_dir).expanduser().resolve()


def resolve_config_dir(config_dir: str | os.PathLike | None = None) -> Path:
    if config_dir is None:
        config_dir = os.environ.get("MONEV_CONFIG_DIR") or DEFAULT_CONFIG_DIR
    return Path(config_dir).expanduser().resolve()


@dataclass(frozen=True)
class Paths:
    """All paths under one data directory."""

    data_dir: Path
    config_dir: Path

    @classmethod
    def from_args(cls, data_dir=None, config_dir=None) -> Paths:
        return cls(resolve_data_dir(data_dir), resolve_config_dir(config_dir))

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def curated_dir(self) -> Path:
        return self.data_dir / "curated"

    @property
    def warehouse(self) -> Path:
        """The published warehouse (read-only for every reader but the pipeline)."""
        return self.curated_dir / WAREHOUSE_NAME

    @property
    def staging_dir(self) -> Path:
        """Per-file parse cache, keyed by content hash (re-parsing is skipped)."""
        return self.data_dir / "staging"

    @property
    def state_dir(self) -> Path:
        """The small store for things users type in the app (evidence, accounts, audit)."""
        return self.data_dir / "state"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def runs_dir(self) -> Path:
        """Run logs and Great Expectations validation results per run."""
        return self.data_dir / "runs"

    @property
    def exports_dir(self) -> Path:
        return self.curated_dir / "exports"

    def ensure(self) -> Paths:
        for p in (self.raw_dir, self.curated_dir, self.staging_dir, self.state_dir, self.runs_dir):
            p.mkdir(parents=True, exist_ok=True)
        return self


def pii_salt(paths: Paths) -> bytes:
    """Salt for hashing reporters' contacts.

    From env ``MONEV_PII_SALT`` if set, else a random salt created once in
    ``<data-dir>/state/pii_salt`` (git-ignored, never committed). Changing the
    salt changes every reporter hash, so keep the file with the warehouse.
    """
    env = os.environ.get("MONEV_PII_SALT")
    if env:
        return env.encode()
    f = paths.state_dir / "pii_salt"
    if not f.exists():
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(secrets.token_hex(32))
        f.chmod(0o600)
    return f.read_text().strip().encode()
