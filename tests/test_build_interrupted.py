"""A build killed half-way (kill -9) is recorded as interrupted on the next start, its leftovers are
removed then, and the published warehouse never changed (issue 17 item 6)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import duckdb
from hostile_files import lapor_csv

from pipelines.build.core import run_pipeline
from pipelines.settings import Paths


def test_a_killed_build_is_recorded_and_cleaned_on_the_next_start(tmp_path):
    paths = Paths.from_args(tmp_path / "data", None)
    lapor_csv(paths.raw_dir / "lapor_2025-03-01.csv", [{"Tracking ID": f"G{i}"} for i in range(5)])
    assert run_pipeline(paths).published
    before = hashlib.sha256(paths.warehouse.read_bytes()).hexdigest()
    lapor_csv(paths.raw_dir / "lapor_2025-03-02.csv", [{"Tracking ID": f"H{i}"} for i in range(5)])
    child = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", "--data-dir", str(paths.data_dir), "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(paths.curated_dir.glob(".build-*.duckdb")):
        assert child.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert list(paths.curated_dir.glob(".build-*.duckdb"))  # a leftover
    assert hashlib.sha256(paths.warehouse.read_bytes()).hexdigest() == before
    killed = [json.loads(p.read_text()) for p in paths.runs_dir.glob("*/run.json")]
    killed = [r for r in killed if r["status"] == "running"]
    assert len(killed) == 1

    res = run_pipeline(paths)
    assert res.published and not list(paths.curated_dir.glob(".build-*"))
    rec = json.loads((paths.runs_dir / killed[0]["run_id"] / "run.json").read_text())
    assert rec["status"] == "interrupted" and "terhenti di tengah jalan" in rec["message"]
    assert any(n.startswith("curated/.build-") for n in rec["removed"])
    assert [r["run_id"] for r in res.interrupted] == [killed[0]["run_id"]]
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    log = con.execute("SELECT run_id, status, message FROM run_log WHERE status = 'interrupted'").fetchall()
    con.close()
    assert [(r, s) for r, s, _ in log] == [(killed[0]["run_id"], "interrupted")]
    # a later start finds nothing more to recover
    assert run_pipeline(paths).interrupted == []
