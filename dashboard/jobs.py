"""Pipeline runs started from the dashboard, in a separate process.

``monev run`` (or ``monev demo`` + ``monev run``) runs as a child process writing its progress to a
log file under ``<data-dir>/runs/``; every session polls the same job (one per data directory), so
two people pressing the button at once start one build. The app keeps serving the published
snapshot meanwhile; when the build publishes, the data module notices the new file and reopens.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.capabilities import require
from pipelines.settings import Paths

_LOCK = threading.Lock()
_JOBS: dict[str, Job] = {}  # data dir -> its latest job (process-wide)


@dataclass
class Job:
    kind: str  # run | demo
    data_dir: Path
    log_path: Path
    started_at: dt.datetime
    total_files: int
    proc: subprocess.Popen | None = None
    steps: list[list[str]] = field(default_factory=list)
    returncode: int | None = None
    finished_at: dt.datetime | None = None

    @property
    def running(self) -> bool:
        self.poll()
        return self.returncode is None

    def poll(self) -> None:
        if self.returncode is None and self.proc is not None:
            rc = self.proc.poll()
            if rc is not None:
                self.returncode = rc
                self.finished_at = dt.datetime.now().replace(microsecond=0)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def log_lines(self) -> list[str]:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []

    def progress(self) -> tuple[float, str]:
        """(fraction done, the latest step) from the log the command writes."""
        lines = [ln for ln in self.log_lines() if ln.strip()]
        read = sum(1 for ln in lines if ln.startswith("Membaca "))
        frac = 0.05
        if self.total_files:
            frac = 0.05 + 0.6 * min(read, self.total_files) / self.total_files
        if any(ln.startswith("Membangun gudang data") for ln in lines):
            frac = max(frac, 0.7)
        if any(ln.startswith("Memvalidasi") for ln in lines):
            frac = max(frac, 0.8)
        if not self.running:
            frac = 1.0
        last = lines[-1] if lines else "Memulai ..."
        return frac, last


def _count_inputs(paths: Paths) -> int:
    from pipelines.build.discover import discover

    try:
        return len(discover(paths.raw_dir))
    except OSError:
        return 0


def current(paths: Paths) -> Job | None:
    with _LOCK:
        job = _JOBS.get(str(paths.data_dir))
    if job is not None:
        job.poll()
    return job


def start(paths: Paths, kind: str = "run", *, demo_args: list[str] | None = None, actor: Any = None) -> Job:
    """Start ``monev run`` (kind 'run') or ``monev demo`` then ``monev run`` (kind 'demo') for the data
    directory, unless a job is already running there (then that job is returned). Refused without
    ``upload_data`` (``actor``: the viewer)."""
    require(actor, "upload_data")
    with _LOCK:
        job = _JOBS.get(str(paths.data_dir))
        if job is not None and job.running:
            return job
        paths.runs_dir.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now().replace(microsecond=0)
        log = paths.runs_dir / f"dasbor-{now:%Y%m%dT%H%M%S}-{kind}.log"
        base = [sys.executable, "-m", "pipelines.cli"]
        common = ["--data-dir", str(paths.data_dir), "--config-dir", str(paths.config_dir)]
        if kind == "demo":
            demo = " ".join(_quote(a) for a in [*base, "demo", *common, *(demo_args or [])])
            run = " ".join(_quote(a) for a in [*base, "run", *common])
            cmd = ["/bin/sh", "-c", f"{demo} && {run}"]
        elif kind == "run":
            cmd = [*base, "run", *common]
        else:
            raise ValueError(f"unknown job kind {kind!r}")
        fh = log.open("w", encoding="utf-8")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                cwd=str(paths.data_dir.parent) if paths.data_dir.parent.exists() else None)
        fh.close()  # the child keeps its own descriptor
        job = Job(kind, paths.data_dir, log, now, _count_inputs(paths), proc)
        _JOBS[str(paths.data_dir)] = job
        return job


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)
