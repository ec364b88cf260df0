"""`monev bench`: performance at 10k to 1M complaints with baselines in the same run (issue 10).

``run_bench(sizes, out_dir)`` returns the result (printed as a table by the command, written as JSON
with ``--json``); docs/benchmark.md has the figures and what limits each step.
"""

from pipelines.bench.core import run_bench

__all__ = ["run_bench"]
