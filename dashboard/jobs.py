"""Work on uploaded files and builds, outside the Streamlit server process, with a memory limit.

No upload can take the dashboard down for everyone: the server itself never parses an uploaded file.

- **Preview** (Unggah Data): ``preview_in_worker`` reads the file in a worker process (one, kept warm,
  started with ``spawn``) whose address space is limited (``resource.setrlimit(RLIMIT_AS)``,
  ``MONEV_WORKER_MEMORY_MB``, default 3.072 MiB: DuckDB and polars reserve far more address space than
  they use; the reading limits of config/ingest.yaml keep real use far below). A worker that runs out
  of memory, crashes or takes longer than ``PREVIEW_TIMEOUT`` is replaced and the upload refused with a
  message; the server carries on.
- **Build**: ``monev run`` (or ``monev demo`` + ``monev run``) runs as a child process with its own
  limit (``MONEV_BUILD_MEMORY_MB``, default half the machine's memory, at least 4 GiB), writing its
  progress to a log file under ``<data-dir>/runs/``; every session polls the same job (one per data
  directory), so two people pressing the button at once start one build. The app keeps serving the
  published snapshot meanwhile; when the build publishes, the data module notices the new file and
  reopens.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
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
                                cwd=str(paths.data_dir.parent) if paths.data_dir.parent.exists() else None,
                                preexec_fn=_build_limit)
        fh.close()  # the child keeps its own descriptor
        job = Job(kind, paths.data_dir, log, now, _count_inputs(paths), proc)
        _JOBS[str(paths.data_dir)] = job
        return job


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


# ---------------------------------------------------------------- memory limits of the children
def _env_mb(name: str, default_mb: int) -> int:
    try:
        return max(256, int(os.environ.get(name, "") or default_mb)) * 2**20
    except ValueError:
        return default_mb * 2**20


def build_memory_bytes() -> int:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        total = 8192
    return _env_mb("MONEV_BUILD_MEMORY_MB", max(4096, total // 2))


def worker_memory_bytes() -> int:
    return _env_mb("MONEV_WORKER_MEMORY_MB", 3072)


def limit_memory(limit: int) -> None:
    """In a child: cap its address space (a MemoryError or an allocation failure instead of growing)."""
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _build_limit() -> None:  # preexec_fn of the build child
    limit_memory(build_memory_bytes())


# ---------------------------------------------------------------- preview in a worker process
PREVIEW_TIMEOUT = 300  # seconds
_POOL_LOCK = threading.Lock()
_POOL: ProcessPoolExecutor | None = None


def _pool() -> ProcessPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            ctx = multiprocessing.get_context("spawn")
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=limit_memory,
                                        initargs=(worker_memory_bytes(),))
        return _POOL


def _discard_pool() -> None:
    """Kill the worker (stuck or out of memory); the next preview starts a new one."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is None:
        return
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):  # already gone
            p.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _warm_task() -> bool:
    import pipelines.ingest.preview  # noqa: F401 - the imports are the cost
    import pipelines.validate.engine as engine

    engine.preload()
    return True


def warm_up() -> None:
    """Start the worker and its imports in the background (the Unggah Data page calls it on open)."""
    with contextlib.suppress(Exception):
        _pool().submit(_warm_task)


def _preview_task(path: str, config_dir: str, profile: str | None, channel: str | None):
    """Runs in the worker."""
    from pipelines.ingest.preview import preview_file
    from pipelines.masterdata import load_master_data

    return preview_file(Path(path), load_master_data(config_dir), profile=profile, channel=channel)


def preview_in_worker(path: Path, config_dir: Path, *, profile: str | None = None, channel: str | None = None,
                      timeout: float = PREVIEW_TIMEOUT):
    """``pipelines.ingest.preview.preview_file`` in the memory-limited worker; a worker failure is a refusal."""
    from pipelines.ingest.preview import Preview
    from pipelines.safe_text import shown_name

    name = shown_name(Path(path).name)
    limit = worker_memory_bytes() // 2**20
    try:
        return _pool().submit(_preview_task, str(path), str(config_dir), profile, channel).result(timeout=timeout)
    except FutureTimeout:
        _discard_pool()
        why = f"pembacaannya melebihi {timeout:.0f} detik"
    except MemoryError:
        _discard_pool()
        why = f"pembacaannya melebihi batas memori pekerja ({limit} MiB, MONEV_WORKER_MEMORY_MB)"
    except BrokenProcessPool:
        _discard_pool()
        why = (f"proses pekerja yang membacanya berhenti (kemungkinan melewati batas memorinya, {limit} MiB, "
               "MONEV_WORKER_MEMORY_MB)")
    except Exception as exc:  # noqa: BLE001 - e.g. DuckDB's OutOfMemoryException from the worker
        _discard_pool()
        why = f"pembacaannya gagal di proses pekerja ({type(exc).__name__}; batas memori {limit} MiB)"
    return Preview(Path(path).name, False, refused=(
        f"Berkas {name} ditolak: {why}. Berkas ekspor yang wajar jauh lebih kecil; periksa berkasnya (mungkin "
        "rusak atau sengaja dibuat sangat besar setelah dibuka) lalu ekspor ulang dari aplikasinya. Dasbor tetap "
        "berjalan; tidak ada yang disimpan."))
