"""Shared fixtures.

`demo_data_dir` builds one small demo warehouse per test session (seeded
`monev demo` + `monev run` into a temporary data directory) for every test that
needs realistic data: dashboard, notebooks, scorecards, rating on real data.
Tests must treat it as read-only; a test that changes data makes its own copy.

Set MONEV_TEST_DEMO_DIR to a directory to keep the demo between sessions while
developing (it is rebuilt when missing).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DEMO_ARGS = ["--seed", "42", "--from", "2024-01-01", "--to", "2026-10-31", "--rows", "2000"]


def _monev(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def build_demo(data_dir: Path) -> Path:
    """Write the small seeded demo into data_dir and publish its warehouse."""
    if (data_dir / "curated" / "monev.duckdb").exists():
        return data_dir
    for cmd in (["demo", "--data-dir", str(data_dir), *DEMO_ARGS, "--force"], ["run", "--data-dir", str(data_dir)]):
        r = _monev(*cmd, env={"MONEV_PII_SALT": "test-salt"})
        if r.returncode != 0:
            raise RuntimeError(f"monev {' '.join(cmd)} failed:\n{r.stdout}\n{r.stderr}")
    return data_dir


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    """A published demo warehouse (read-only for tests): <dir>/curated/monev.duckdb."""
    keep = os.environ.get("MONEV_TEST_DEMO_DIR")
    d = Path(keep) if keep else tmp_path_factory.mktemp("demo")
    return build_demo(d)


@pytest.fixture()
def demo_con(demo_data_dir):
    """A read-only connection to the demo warehouse."""
    import duckdb

    con = duckdb.connect(str(demo_data_dir / "curated" / "monev.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def captured_downloads(monkeypatch) -> list[tuple[str, bytes]]:
    """Every st.download_button an AppTest run draws: (file name, the bytes it would deliver)."""
    import streamlit as st

    seen: list[tuple[str, bytes]] = []
    real = st.download_button

    def capture(label, data, file_name=None, *args, **kwargs):
        blob = data() if callable(data) else data
        seen.append((file_name, blob if isinstance(blob, bytes) else str(blob).encode()))
        return real(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", capture)
    return seen
