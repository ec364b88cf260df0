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
from types import SimpleNamespace

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


def monev_here(*args: str, env: dict | None = None) -> SimpleNamespace:
    """`monev ARGS` in this process (Typer's runner): what a subprocess gives (returncode, stdout, stderr)
    without paying the interpreter start and the imports each time. For commands that do not serve."""
    from typer.testing import CliRunner

    from pipelines.cli import app

    r = CliRunner().invoke(app, list(args), env={"MONEV_PII_SALT": "test-salt", **(env or {})})
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return SimpleNamespace(returncode=r.exit_code, stdout=r.stdout, stderr=r.stderr)


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


# A small province (issue 19): three pemda, each with its own config folder (copies of the built-in
# one under its own name and code: the demo generator speaks Kota Blitar's master data), its own
# seeded demo and its own build; the province config's min_sample (30) differs from the pemda's (5)
# so that the smallest pemda is "sampel kecil" in the yearly ranking.
PROVINCE_PEMDA = (  # kode, name, demo rows, seed
    ("35.72", "Kota Blitar", 500, 42),
    ("35.71", "Kota Kediri", 300, 7),
    ("35.05", "Kabupaten Blitar", 60, 11),
)
PROVINCE_MIN_SAMPLE = 30


def make_pemda_config(target: Path, kode: str, name: str, min_sample: int | None = None) -> Path:
    """A copy of the built-in config for another pemda (city.yaml name and kode_wilayah replaced)."""
    import shutil

    import yaml

    from pipelines.settings import DEFAULT_CONFIG_DIR

    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    city = yaml.safe_load((target / "city.yaml").read_text(encoding="utf-8"))
    city.update(name=name, pemda=f"Pemerintah {name}", kode_wilayah=kode)
    (target / "city.yaml").write_text(yaml.safe_dump(city, allow_unicode=True), encoding="utf-8")
    if min_sample is not None:
        sla = yaml.safe_load((target / "sla.yaml").read_text(encoding="utf-8"))
        sla.setdefault("kpi", {})["min_sample"] = min_sample
        (target / "sla.yaml").write_text(yaml.safe_dump(sla, allow_unicode=True), encoding="utf-8")
    return target


def build_province_dir(d: Path) -> Path:
    """Write and build the small three-pemda province in ``d`` (kept when already built)."""
    from pipelines.province import province_yaml

    if (d / "curated" / "provinsi.duckdb").exists():
        return d
    d.mkdir(parents=True, exist_ok=True)
    make_pemda_config(d / "config-provinsi", "35.00", "Provinsi Jawa Timur", min_sample=PROVINCE_MIN_SAMPLE)
    entries = []
    for kode, name, rows, seed in PROVINCE_PEMDA:
        slug = kode.replace(".", "")
        cfg = make_pemda_config(d / "pemda" / slug / "config", kode, name) if not (
            d / "pemda" / slug / "config").exists() else d / "pemda" / slug / "config"
        entries.append((kode, f"pemda/{slug}/config"))
        r = _monev("demo", "--data-dir", str(d / "pemda" / slug), "--config-dir", str(cfg), "--seed", str(seed),
                   "--from", "2024-01-01", "--to", "2026-10-31", "--rows", str(rows), "--force",
                   env={"MONEV_PII_SALT": "test-salt"})
        if r.returncode != 0:
            raise RuntimeError(f"monev demo ({name}) failed:\n{r.stdout}\n{r.stderr}")
    (d / "provinsi.yaml").write_text(province_yaml("Provinsi Jawa Timur", entries, "config-provinsi"),
                                     encoding="utf-8")
    r = _monev("run", "--data-dir", str(d), env={"MONEV_PII_SALT": "test-salt"})
    if r.returncode != 0:
        raise RuntimeError(f"monev run (provinsi) failed:\n{r.stdout}\n{r.stderr}")
    return d


@pytest.fixture(scope="session")
def province_data_dir(tmp_path_factory) -> Path:
    """A published three-pemda province (read-only for tests): provinsi.yaml, pemda/<slug>/, curated/provinsi.duckdb."""
    keep = os.environ.get("MONEV_TEST_PROVINCE_DIR")
    d = Path(keep) if keep else tmp_path_factory.mktemp("provinsi")
    return build_province_dir(d)


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
