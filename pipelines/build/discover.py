"""Find the input files under ``<data-dir>/raw`` and hash their content.

raw/ never reads outside itself: a symbolic link (to a file or a folder) is listed as a link and
refused without being opened or followed (``RawFile.is_link``), and files are opened with
``O_NOFOLLOW``, so a link swapped in between listing and reading is not followed either.
"""

from __future__ import annotations

import hashlib
import os
import stat
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
    is_link: bool = False  # a symbolic link: refused, never followed (file_hash: of its name)


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def is_input(rel: Path) -> bool:
    """Skip README files, dotfiles (and anything in dot-folders) and Excel lock files (~$x.xlsx)."""
    if any(part.startswith(".") for part in rel.parts):
        return False
    name = rel.name
    return not (name.lower() in SKIP_NAMES or name.startswith("~$"))


def _link(p: Path, rel: Path) -> RawFile:
    h = hashlib.sha256(b"symlink\x00" + rel.as_posix().encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return RawFile(p, rel.as_posix(), p.name, 0, h, is_link=True)


def discover(raw_dir: Path) -> list[RawFile]:
    """Every input file under ``raw_dir`` (recursively, never into a linked folder), sorted by
    relative path; symbolic links are listed with ``is_link`` (refused when staged)."""
    if not raw_dir.exists():
        return []
    out = []
    for root, dirs, names in os.walk(raw_dir, followlinks=False):
        base = Path(root)
        for d in list(dirs):
            if (base / d).is_symlink():
                dirs.remove(d)
                names.append(d)  # a linked folder is listed (and refused) like a linked file
        for n in names:
            p = base / n
            rel = p.relative_to(raw_dir)
            if not is_input(rel):
                continue
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode):
                out.append(_link(p, rel))
            elif stat.S_ISREG(st.st_mode):
                out.append(RawFile(p, rel.as_posix(), p.name, st.st_size, file_hash(p)))
    return sorted(out, key=lambda rf: rf.rel_path)
