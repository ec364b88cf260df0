"""Work on uploaded files and builds, outside the Streamlit server process, with a memory limit.

No upload can take the dashboard down for everyone: the server itself never parses an uploaded file.

- **Preview** (Unggah Data): ``preview_in_worker`` reads the file in a worker process (one, kept warm:
  ``dashboard/preview_worker.py``) whose address space is limited (``resource.setrlimit(RLIMIT_AS)``,
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
import os
import pickle
import resource
import struct
import subprocess
import sys
import threading
import time
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
_WORKER_LOCK = threading.Lock()
_WORKER: subprocess.Popen | None = None
_ROOT = Path(__file__).resolve().parents[1]


class WorkerFailed(Exception):
    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def _worker() -> subprocess.Popen:
    global _WORKER
    if _WORKER is None or _WORKER.poll() is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_ROOT), os.environ.get("PYTHONPATH", "")])}
        _WORKER = subprocess.Popen([sys.executable, "-m", "dashboard.preview_worker", str(worker_memory_bytes())],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   env=env, cwd=str(_ROOT))
    return _WORKER


def _discard_worker() -> None:
    global _WORKER
    w, _WORKER = _WORKER, None
    if w is not None and w.poll() is None:
        w.kill()
        w.wait()


def _read_exact(w: subprocess.Popen, n: int, deadline: float) -> bytes:
    import select

    fd, buf = w.stdout.fileno(), b""
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise WorkerFailed("timeout")
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            raise WorkerFailed("died")
        buf += chunk
    return buf


def warm_up() -> None:
    """Start the worker (it imports the pipeline at once), so the first preview is quick."""
    with _WORKER_LOCK, contextlib.suppress(OSError):
        _worker()


def _ask(request: tuple, timeout: float):
    with _WORKER_LOCK:
        w = _worker()
        data = pickle.dumps(request)
        try:
            w.stdin.write(struct.pack(">I", len(data)) + data)
            w.stdin.flush()
            deadline = time.monotonic() + timeout
            n = struct.unpack(">I", _read_exact(w, 4, deadline))[0]
            return pickle.loads(_read_exact(w, n, deadline))
        except (OSError, WorkerFailed) as exc:
            _discard_worker()
            raise exc if isinstance(exc, WorkerFailed) else WorkerFailed("died") from exc


def preview_in_worker(path: Path, config_dir: Path, *, profile: str | None = None, channel: str | None = None,
                      timeout: float = PREVIEW_TIMEOUT):
    """``pipelines.ingest.preview.preview_file`` in the memory-limited worker; a worker failure is a refusal."""
    from pipelines.ingest.preview import Preview
    from pipelines.safe_text import shown_name

    limit = worker_memory_bytes() // 2**20
    try:
        res = _ask((str(path), str(config_dir), profile, channel), timeout)
        if res[0] == "ok":
            return res[1]
        why = (f"pembacaannya melebihi batas memori pekerja ({limit} MiB, MONEV_WORKER_MEMORY_MB)" if res[2] else
               f"pembacaannya gagal di proses pekerja ({res[1]})")
        if res[2]:
            with _WORKER_LOCK:
                _discard_worker()
    except WorkerFailed as exc:
        why = (f"pembacaannya melebihi {timeout:.0f} detik" if exc.why == "timeout" else
               f"proses pekerja yang membacanya berhenti (kemungkinan melewati batas memorinya, {limit} MiB, "
               "MONEV_WORKER_MEMORY_MB)")
    return Preview(Path(path).name, False, refused=(
        f"Berkas {shown_name(Path(path).name)} ditolak: {why}. Berkas ekspor yang wajar jauh lebih kecil; periksa "
        "berkasnya (mungkin rusak atau sengaja dibuat sangat besar setelah dibuka) lalu ekspor ulang dari "
        "aplikasinya. Dasbor tetap berjalan; tidak ada yang disimpan."))
