"""The build's SQL models (``pipelines/sql/build_*.sql``): read one and run its statements."""

from __future__ import annotations

from importlib import resources
from typing import Any

import duckdb


def sql_file(name: str) -> str:
    return resources.files("pipelines").joinpath(f"sql/{name}").read_text(encoding="utf-8")


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> None:
    """Run every statement of pipelines/sql/<name> (statements end with ';' at a line end)."""
    text = "\n".join(line for line in sql_file(name).splitlines() if not line.lstrip().startswith("--"))
    for stmt in (s.strip() for s in text.split(";\n")):
        stmt = stmt.rstrip(";").strip()
        if not stmt:
            continue
        used = {k: v for k, v in (params or {}).items() if f"${k}" in stmt}
        con.execute(stmt, used) if used else con.execute(stmt)
