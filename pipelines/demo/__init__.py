"""Demo data: a seeded simulation of a city's complaints and the messy files it would export.

``simulate_complaints`` gives the truth; ``write_demo`` renders it as SP4N-LAPOR!
export snapshots and hand-kept rekap spreadsheets under ``<data-dir>/raw/`` with a
manifest beside it; ``write_bench_exports`` writes one large clean-ish export for
the benchmark.
"""

from pipelines.demo.simulate import simulate_complaints, state_at

__all__ = ["simulate_complaints", "state_at"]
