"""`monev bench` (placeholder until the benchmark lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
