"""Safe inputs: an uploaded file's name and size, and where it may be written.

``check_upload`` turns a browser-given name into a safe one (no folders, no ``..``, no control
characters; ``pipelines.rating.evidence.sanitize_filename``) and refuses a wrong type, an empty file
or one over the limit. ``safe_target`` joins a name to a folder and refuses any result outside it.
The widgets' own limits (``max_upload_size``, ``type``) are only a first filter in the browser: these
checks run on the server.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipelines import fmt
from pipelines.capabilities import require
from pipelines.rating.evidence import sanitize_filename
from pipelines.settings import Paths

__all__ = ["UploadRejected", "check_upload", "safe_target", "sanitize_filename", "save_upload"]
UPLOAD_FOLDER = "unggahan"  # raw/unggahan/: exports uploaded through the dashboard


class UploadRejected(ValueError):
    """The file cannot be accepted (message in Bahasa Indonesia)."""


def check_upload(name: object, size: int, *, types: Iterable[str], max_bytes: int, default: str = "berkas") -> str:
    """The sanitised file name, after checking type (by extension), emptiness and size."""
    safe = sanitize_filename(name, default=default)
    allowed = tuple(t.lower().lstrip(".") for t in types)
    ext = Path(safe).suffix.lower().lstrip(".")
    if ext not in allowed:
        raise UploadRejected(
            f"Berkas {safe} berjenis .{ext or '?'}; yang diterima: {', '.join('.' + t for t in allowed)}."
        )
    if size <= 0:
        raise UploadRejected(f"Berkas {safe} kosong (0 bita). Ekspor ulang dari sumbernya.")
    if size > max_bytes:
        raise UploadRejected(
            f"Berkas {safe} berukuran {fmt.number(size / 1048576, 1)} MB, melebihi batas "
            f"{fmt.number(max_bytes / 1048576, 0)} MB. Pecah per bulan atau per kanal, lalu unggah satu per satu."
        )
    return safe


def safe_target(directory: str | Path, name: object) -> Path:
    """``directory / sanitised name``, guaranteed to lie directly inside ``directory``."""
    base = Path(directory).resolve()
    target = (base / sanitize_filename(name)).resolve()
    if target.parent != base:
        raise UploadRejected(f"Nama berkas '{str(name)[:80]}' tidak sah.")
    return target


def save_upload(paths: Paths, content: bytes, name: str, *, actor: Any = None) -> Path:
    """Write an uploaded export to ``raw/unggahan/`` under its safe ``name`` (a new name with a time stamp
    when one exists already), atomically (a partial file is never read by a build). Refused without
    ``upload_data`` (``actor``: the dashboard's viewer; None = the command-line operator)."""
    require(actor, "upload_data")
    folder = paths.raw_dir / UPLOAD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = safe_target(folder, name)
    if target.exists():
        target = target.with_name(f"{target.stem}-{dt.datetime.now():%Y%m%d%H%M%S}{target.suffix}")
    part = target.with_name("." + target.name + ".part")
    part.write_bytes(content)
    os.replace(part, target)
    return target
