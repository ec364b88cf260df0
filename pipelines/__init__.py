"""Monev Pengaduan: complaint-handling monitoring for Indonesian regional governments.

The `pipelines` package is the engine: ingestion, validation, the warehouse
models, KPIs, rating, scorecards and the `monev` command line.
"""

__version__ = "0.1.0"
