"""Time a full scorecard batch (the city and every OPD, PDF and XLSX) on a published warehouse.

    python -m pipelines.scorecard.bench --data-dir data-demo --period 2025-Q3 [--jobs 1 2]

Prints one JSON object per run (seconds, units, files, bytes, load average), for docs/rapor.md and
the lead's `monev bench`. Files are written to a temporary directory and removed.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

from pipelines.scorecard import all_departments, generate, write_batch
from pipelines.settings import Paths
from pipelines.warehouse import open_readonly


def run(data_dir: str, period: str, jobs: int, formats: tuple[str, ...] = ("pdf", "xlsx")) -> dict:
    paths = Paths.from_args(data_dir)
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    con = open_readonly(paths)
    try:
        units = all_departments(con)
        with tempfile.TemporaryDirectory() as out:
            rows = write_batch(out, generate(con, period, departments=units, city=True, formats=formats,
                                             jobs=jobs, warehouse=paths.warehouse))
    finally:
        con.close()
    secs = time.perf_counter() - t0
    return {
        "period": period, "jobs": jobs, "units": len(units) + 1, "files": len(rows),
        "bytes": sum(r.size for r in rows), "seconds": round(secs, 2),
        "seconds_per_unit": round(secs / (len(units) + 1), 3),
        "loadavg_1min_before": round(load_before, 2), "cpu_count": os.cpu_count(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description="Ukur waktu membuat semua rapor (kota + setiap OPD).")
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--period", default="2025-Q3")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    a = ap.parse_args()
    for j in a.jobs:
        print(json.dumps(run(a.data_dir, a.period, j)), flush=True)


if __name__ == "__main__":
    main()
