"""Timing of the default demo: `monev demo && monev run`, and what validation adds.

    python -m pipelines.build.bench --data-dir /tmp/bench-pipeline [--repeat 3]

1. ``monev demo --force`` (defaults) and ``monev run`` as a user runs them (wall
   time of each process, staging cache empty).
2. Validation's share: the same cold ``monev run`` (new process, staging cache
   emptied) with validation and with ``run_pipeline(validate=False)`` (only the
   constraints the warehouse needs), alternating, ``--repeat`` times each; the
   fastest of each is compared. The same pair is also timed from the staged
   files (``monev build``: no reading of raw/), for information.

The figures go into docs/pipeline.md. Wall times on a shared machine vary; the
minimum of several runs is the least disturbed one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pipelines.build.core import run_pipeline
from pipelines.settings import Paths


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return dt


def _one(data_dir: str, validate: bool, from_staging: bool) -> None:
    """One build in this process (called in a fresh interpreter by the benchmark)."""

    r = run_pipeline(Paths.from_args(data_dir), validate=validate, from_staging=from_staging)
    if not r.published:
        raise SystemExit(r.message or r.status)
    print(json.dumps(r.timings))


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one", choices=["validate", "no-validate"], help=argparse.SUPPRESS)
    ap.add_argument("--from-staging", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one:
        _one(a.data_dir, a.one == "validate", a.from_staging)
        return {}
    d = Path(a.data_dir)
    env = {**os.environ, "MONEV_PII_SALT": os.environ.get("MONEV_PII_SALT", "bench-salt")}
    py = sys.executable
    monev = [py, "-m", "pipelines.cli"]
    if d.exists() and any(d.iterdir()) and not (d / "demo_manifest.json").exists():
        raise SystemExit(f"{d} is not empty and holds no demo; the benchmark replaces its data dir. Give an empty one.")
    shutil.rmtree(d, ignore_errors=True)
    t_demo = _timed([*monev, "demo", "--data-dir", str(d), "--force"], env)
    t_run = _timed([*monev, "run", "--data-dir", str(d)], env)
    out: dict = {"demo_s": round(t_demo, 2), "run_s": round(t_run, 2), "demo_and_run_s": round(t_demo + t_run, 2)}

    def build(validate: bool, from_staging: bool) -> float:
        if not from_staging:
            shutil.rmtree(d / "staging", ignore_errors=True)
        cmd = [py, "-m", "pipelines.build.bench", "--data-dir", str(d), "--one",
               "validate" if validate else "no-validate", *(["--from-staging"] if from_staging else [])]
        return _timed(cmd, env)

    for label, from_staging in (("run", False), ("build", True)):
        with_v, without = [], []
        for _ in range(a.repeat):
            with_v.append(build(True, from_staging))
            without.append(build(False, from_staging))
        mv, mn = min(with_v), min(without)
        out[f"{label}_with_validation_s"] = round(mv, 2)
        out[f"{label}_without_validation_s"] = round(mn, 2)
        out[f"{label}_validation_adds_pct"] = round(100 * (mv - mn) / mn, 1)
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
