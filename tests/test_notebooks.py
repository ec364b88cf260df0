"""Analyst notebooks (notebooks/*.ipynb): stripped in git, executed top to bottom against the demo
warehouse, and the figures each one checks equal `monev kpi` for the same inputs (run here again,
independently of the notebook's own check)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest

from pipelines import fmt
from pipelines.nbtools import (
    CHECK_MIMETYPE,
    Figure,
    FigureMismatch,
    MonevKpiFailed,
    check_figures,
    format_frame,
    kpi_args,
    notebook_paths,
    pick,
    run_monev_kpi,
    same_value,
)
from pipelines.settings import PROJECT_ROOT

NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
REQUIRED = {"01_mulai_di_sini", "02_analisis_opd", "03_tren_kategori_wilayah"}
STRIP = PROJECT_ROOT / "scripts" / "strip_notebooks.py"


def _ids(paths):
    return [p.stem for p in paths]


def _code(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


# ---------------------------------------------------------------- the files in git


def test_the_required_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} >= REQUIRED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_stripped(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} sel {i}: keluaran tersimpan; jalankan scripts/strip_notebooks.py"
            assert cell.execution_count is None, f"{path.name} sel {i}: nomor eksekusi tersimpan"
        assert "execution" not in cell.metadata, f"{path.name} sel {i}: metadata eksekusi tersimpan"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert set(nb.metadata.get("language_info", {})) <= {"name"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_teaches_and_reads_the_published_warehouse(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "**Pertanyaan:**" in first.source
    # a conclusion heading, then a code cell that writes the conclusion from computed values
    heading = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.strip() == "## Kesimpulan")
    conclusion = nb.cells[heading + 1]
    assert conclusion.cell_type == "code" and "Markdown(" in conclusion.source
    code = _code(nb)
    assert "notebook_paths()" in code and "open_readonly(paths)" in code
    assert "duckdb.connect" not in code and "read_only=False" not in code
    assert "/tmp" not in code and "data-demo" not in code  # the data dir comes from MONEV_DATA_DIR
    assert "monev_kpi(paths" in code and "check_figures(" in code and "assert cek.ok" in code


def test_strip_script_checks_and_strips(tmp_path):
    src = NOTEBOOKS[0]
    nb = nbformat.read(src, as_version=4)
    code_cell = next(c for c in nb.cells if c.cell_type == "code")
    code_cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="731\n")]
    code_cell.execution_count = 7
    code_cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.12.3"}
    dirty = tmp_path / src.name
    nbformat.write(nb, dirty)

    check = subprocess.run([sys.executable, str(STRIP), "--check", str(dirty)], capture_output=True, text=True)
    assert check.returncode == 1 and dirty.name in check.stdout
    fix = subprocess.run([sys.executable, str(STRIP), str(dirty)], capture_output=True, text=True)
    assert fix.returncode == 0, fix.stderr
    assert dirty.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")
    again = subprocess.run([sys.executable, str(STRIP), "--check", str(dirty)], capture_output=True, text=True)
    assert again.returncode == 0, again.stdout


def test_committed_notebooks_pass_the_strip_check():
    r = subprocess.run([sys.executable, str(STRIP), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# ---------------------------------------------------------------- execution


# Executes one notebook in its own process (so two can run at once) and writes the executed copy.
RUNNER = """
import sys
import nbformat
from nbclient import NotebookClient
src, dst, cwd = sys.argv[1:4]
nb = nbformat.read(src, as_version=4)
try:
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": cwd}}).execute()
finally:
    nbformat.write(nb, dst)
"""


@pytest.fixture(scope="module")
def executed(demo_data_dir, tmp_path_factory):
    """Every notebook executed top to bottom (two at a time) with MONEV_DATA_DIR = the demo warehouse:
    name -> (returncode, stderr, executed notebook)."""
    out_dir = tmp_path_factory.mktemp("notebooks")
    # Importing streamlit (other tests do) sets MPLBACKEND=Agg in this process; a kernel inheriting it
    # would show no figures. Kernels get the notebook's own inline backend.
    env = {**{k: v for k, v in os.environ.items() if k != "MPLBACKEND"}, "MONEV_DATA_DIR": str(demo_data_dir)}

    def run(path: Path):
        dst = out_dir / path.name
        r = subprocess.run([sys.executable, "-c", RUNNER, str(path), str(dst), str(NOTEBOOK_DIR)],
                           env=env, capture_output=True, text=True, timeout=300, check=False)
        nb = nbformat.read(dst, as_version=4) if dst.exists() else None
        return path.name, (r.returncode, r.stderr, nb)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, NOTEBOOKS))


@pytest.fixture(scope="module")
def run_notebook(executed):
    def get(path: Path) -> nbformat.NotebookNode:
        code, stderr, nb = executed[path.name]
        if code != 0 or nb is None:
            pytest.fail(f"{path.name}: sel gagal dijalankan\n{stderr[-4000:]}")
        return nb

    return get


@pytest.fixture(scope="module")
def cli_json(demo_data_dir):
    """`monev kpi <args> --data-dir <demo>` as JSON, run once per distinct arguments."""
    cache: dict[tuple[str, ...], dict] = {}

    def get(args: list[str]) -> dict:
        key = tuple(args)
        if key not in cache:
            r = subprocess.run(
                [sys.executable, "-m", "pipelines.cli", "kpi", *args, "--data-dir", str(demo_data_dir)],
                capture_output=True, text=True, check=False,
            )
            assert r.returncode == 0, r.stderr
            cache[key] = json.loads(r.stdout)
        return cache[key]

    return get


def _outputs(nb, output_type=None):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if output_type is None or out.output_type == output_type:
                yield cell, out


def _checked(nb) -> list[dict]:
    """The figure records the notebook displayed with its check (see pipelines.nbtools.FigureCheck)."""
    return [out.data[CHECK_MIMETYPE] for _, out in _outputs(nb) if CHECK_MIMETYPE in out.get("data", {})]


def _resolve(obj, path):
    # independent of pipelines.nbtools.pick on purpose
    for step in path:
        if isinstance(step, dict):
            (obj,) = [row for row in obj if all(row.get(k) == v for k, v in step.items())]
        else:
            obj = obj[step]
    return obj


def _equal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _mismatches(record: dict, cli: dict) -> list[str]:
    return [
        f"{f['label']}: notebook {f['value']!r}, monev kpi {_resolve(cli, f['path'])!r}"
        for f in record["figures"]
        if not _equal(f["value"], _resolve(cli, f["path"]))
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs_top_to_bottom(path, run_notebook):
    nb = run_notebook(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "tidak semua sel dijalankan"
    assert not list(_outputs(nb, "error"))
    assert any("image/png" in out.get("data", {}) for _, out in _outputs(nb)), "tidak ada grafik statis"
    # the conclusion is written from the numbers: a Markdown output with Indonesian-formatted figures
    heading = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.strip() == "## Kesimpulan")
    texts = [out.data["text/markdown"] for out in nb.cells[heading + 1].outputs if "text/markdown" in out.get("data", {})]
    assert len(texts) == 1 and texts[0].count("\n- ") >= 2, texts
    assert "monev kpi" in texts[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_figures_equal_monev_kpi(path, run_notebook, cli_json):
    records = _checked(run_notebook(path))
    assert records and all(r["figures"] for r in records), "notebook tidak memeriksa angkanya terhadap monev kpi"
    for record in records:
        assert record["args"][-2:] == ["--format", "json"]
        cli = cli_json(record["args"])
        assert _mismatches(record, cli) == []
    # at least one real count is checked, not only rates or zeros
    assert any(isinstance(f["value"], int) and f["value"] > 0 for r in records for f in r["figures"])


def test_notebook_01_reproduces_the_headline_numbers(run_notebook, cli_json):
    nb = run_notebook(NOTEBOOK_DIR / "01_mulai_di_sini.ipynb")
    (record,) = _checked(nb)
    checked = {tuple(map(str, f["path"])) for f in record["figures"]}
    # the six cards of Ringkasan Eksekutif and the figures of their captions
    for key in ("received", "response_rate", "on_time_response_rate", "resolution_rate", "resolution_days_median",
                "backlog_overdue", "in_scope", "excluded", "responded", "resolved", "backlog_open"):
        assert (key,) in checked
    cli = cli_json(record["args"])
    # the headline table shows the CLI's figures in Indonesian format
    table = next(
        out.data["text/plain"] for _, out in _outputs(nb) if "perubahan" in out.get("data", {}).get("text/plain", "")
    )
    assert fmt.percent(cli["on_time_response_rate"]) in table
    assert fmt.number(cli["received"]) in table


# ---------------------------------------------------------------- drift is caught


def test_a_failing_cell_fails_the_run(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("x / 0")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src, dst = tmp_path / "rusak.ipynb", tmp_path / "rusak.out.ipynb"
    nbformat.write(nb, src)
    r = subprocess.run([sys.executable, "-c", RUNNER, str(src), str(dst), str(tmp_path)],
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode != 0 and "ZeroDivisionError" in r.stderr
    assert nbformat.read(dst, as_version=4).cells[1].outputs[0].output_type == "error"


def test_a_drifted_figure_fails_both_checks(run_notebook, cli_json):
    (record,) = _checked(run_notebook(NOTEBOOK_DIR / "01_mulai_di_sini.ipynb"))
    cli = cli_json(record["args"])
    drifted = {**record, "figures": [dict(f) for f in record["figures"]]}
    drifted["figures"][0]["value"] += 1
    assert len(_mismatches(drifted, cli)) == 1
    figures = [Figure(f["label"], tuple(f["path"]), f["value"]) for f in drifted["figures"]]
    with pytest.raises(FigureMismatch, match=drifted["figures"][0]["label"]):
        check_figures(figures, cli)
    # a rate off in the 4th decimal is a different rate
    rate = next(f for f in record["figures"] if f["path"] == ["on_time_response_rate"])
    with pytest.raises(FigureMismatch):
        check_figures([Figure("x", ("on_time_response_rate",), rate["value"] + 1e-4)], cli)
    # and a figure the CLI does not have at all is a mismatch, not a pass
    with pytest.raises(FigureMismatch, match="tidak ada"):
        check_figures([Figure("x", ("by_department", {"department": "OPD Fiktif"}, "received"), 0)], cli)


# ---------------------------------------------------------------- helpers (pipelines.nbtools)


def test_pick_selects_one_row_by_fields():
    doc = {"by_department": [{"department": "A", "n": 1}, {"department": "B", "n": 2}], "x": [5, 6]}
    assert pick(doc, ("by_department", {"department": "B"}, "n")) == 2
    assert pick(doc, ("x", -1)) == 6
    with pytest.raises(KeyError, match="0 baris"):
        pick(doc, ("by_department", {"department": "C"}, "n"))
    with pytest.raises(KeyError, match="2 baris"):
        pick({"r": [{"a": 1}, {"a": 1}]}, ("r", {"a": 1}))
    with pytest.raises(KeyError, match="kunci tidak ada"):
        pick(doc, ("missing",))


def test_same_value_compares_as_the_json_would():
    import numpy as np

    assert same_value(np.int64(731), 731) and same_value(Decimal("731"), 731)
    assert not same_value(730, 731)
    assert same_value(0.1 + 0.2, 0.3) and not same_value(0.7868, 0.7869)
    assert same_value(None, None) and not same_value(None, 0) and not same_value(0.0, None)
    assert same_value(float("nan"), None)
    assert same_value(2.0, 2)


def test_kpi_args_and_data_dir(monkeypatch, tmp_path):
    import datetime as dt

    args = kpi_args(dt.date(2026, 1, 1), "2026-10-30", as_of="2026-10-30",
                    filters={"department": ["DPUPR", "Dinas Perhubungan"], "kecamatan": "Sukorejo"})
    assert args == ["--from", "2026-01-01", "--to", "2026-10-30", "--as-of", "2026-10-30",
                    "--department", "DPUPR", "--department", "Dinas Perhubungan", "--kecamatan", "Sukorejo",
                    "--format", "json"]
    with pytest.raises(ValueError, match="tidak dikenal"):
        kpi_args("2026-01-01", "2026-01-31", filters={"opd": "X"})
    monkeypatch.delenv("MONEV_DATA_DIR", raising=False)
    assert notebook_paths().data_dir == PROJECT_ROOT / "data"  # not ./data of the notebook's folder
    monkeypatch.setenv("MONEV_DATA_DIR", str(tmp_path))
    assert notebook_paths().warehouse == tmp_path / "curated" / "monev.duckdb"
    # relative: from the project folder, whatever the kernel's working directory (notebooks/)
    monkeypatch.setenv("MONEV_DATA_DIR", "./data-demo")
    monkeypatch.chdir(NOTEBOOK_DIR)
    assert notebook_paths().data_dir == PROJECT_ROOT / "data-demo"


def test_run_monev_kpi_reports_the_cli_error(tmp_path):
    with pytest.raises(MonevKpiFailed, match="Belum ada gudang data"):
        run_monev_kpi(notebook_paths(tmp_path), kpi_args("2026-01-01", "2026-01-31"))


def test_format_frame_uses_indonesian_formats():
    import polars as pl

    df = pl.DataFrame({"n": [1234, None], "rate": [0.8754, None], "hk": [3.5, 2.0], "x": [1.25, 0.5], "s": ["a", "b"]})
    out = format_frame(df, percent=["rate"], days=["hk"])
    assert out.rows() == [("1.234", "87,5%", "3,5 HK", "1,2", "a"), ("–", "–", "2 HK", "0,5", "b")]


def test_notebooks_do_not_write_into_the_repo(run_notebook):
    for path in NOTEBOOKS:
        run_notebook(path)
    assert {p.suffix for p in NOTEBOOK_DIR.iterdir() if p.name != "README.md"} == {".ipynb"}
