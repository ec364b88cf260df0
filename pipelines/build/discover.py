"""Find the input files under ``<data-dir>/raw`` and hash their content."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SKIP_NAMES = {"readme.md", "readme.txt", "readme", "thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class RawFile:
    path: Path
    rel_path: str  # relative to raw/, with forward slashes
    name: str
    size: int
    file_hash: str  # sha256 of the bytes, first 16 hex


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def is_input(rel: Path) -> bool:
    """Skip README files, dotfiles (and anything in dot-folders) and Excel lock files (~$x.xlsx)."""
    if any(part.startswith(".") for part in rel.parts):
        return False
    name = rel.name
    return not (name.lower() in SKIP_NAMES or name.startswith("~$"))


def discover(raw_dir: Path) -> list[RawFile]:
    """Every input file under ``raw_dir`` (recursively), sorted by relative path."""
    if not raw_dir.exists():
        return []
    out = []
    for p in sorted(raw_dir.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(raw_dir)
        if not is_input(rel):
            continue
        out.append(RawFile(p, rel.as_posix(), p.name, p.stat().st_size, file_hash(p)))
    return out
