"""Small helpers for the analyst notebooks (``notebooks/*.ipynb``).

They hold no KPI rule: the notebooks read numbers through ``pipelines.kpi`` and
SQL on the warehouse. These helpers only find the data directory and check a
notebook's own figures against ``monev kpi --format json`` for the same inputs,
so a notebook that drifts from the KPI rules stops with an error.

    paths = notebook_paths()                      # MONEV_DATA_DIR, else <project>/data
    cli = monev_kpi(paths, date_from, date_to)    # the JSON of `monev kpi`
    check_figures([Figure("Pengaduan masuk", ("received",), 731)], cli)
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import shlex
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipelines import fmt
from pipelines.kpi import compute, derived, rules_text
from pipelines.kpi.glossary import label
from pipelines.periods import DEFAULT_COMPARISON
from pipelines.settings import PROJECT_ROOT, Paths

# Display bundle that carries a notebook's checked figures (read by tests/test_notebooks.py).
CHECK_MIMETYPE = "application/vnd.monev.kpi-check+json"
FILTER_OPTIONS = ("department", "category", "channel", "kecamatan", "kelurahan", "classification")

PathStep = str | int | Mapping[str, Any]


class FigureMismatch(AssertionError):
    """A notebook figure differs from `monev kpi` for the same inputs (message in Bahasa Indonesia)."""


class MonevKpiFailed(RuntimeError):
    """`monev kpi` exited with an error (its message is kept)."""


def notebook_paths(data_dir: str | os.PathLike | None = None) -> Paths:
    """Paths of the warehouse a notebook reads: ``data_dir``, else env ``MONEV_DATA_DIR``, else the
    project's ``data/``. A relative path is taken from the project folder, not from the kernel's
    working directory (``notebooks/``), so ``MONEV_DATA_DIR=./data-demo jupyter lab notebooks/``
    started in the project folder finds ``./data-demo``."""
    if data_dir is None:
        data_dir = os.environ.get("MONEV_DATA_DIR") or "data"
    path = Path(data_dir).expanduser()
    return Paths.from_args(path if path.is_absolute() else PROJECT_ROOT / path)


def _iso(d: dt.date | str) -> str:
    return d.isoformat() if isinstance(d, dt.date) else str(d)


def kpi_args(
    date_from: dt.date | str,
    date_to: dt.date | str,
    *,
    as_of: dt.date | str | None = None,
    filters: Mapping[str, str | Sequence[str]] | None = None,
) -> list[str]:
    """The arguments of ``monev kpi`` (after ``kpi``) for these inputs, JSON output."""
    args = ["--from", _iso(date_from), "--to", _iso(date_to)]
    if as_of is not None:
        args += ["--as-of", _iso(as_of)]
    for key, values in (filters or {}).items():
        if key not in FILTER_OPTIONS:
            raise ValueError(f"Filter '{key}' tidak dikenal; gunakan salah satu dari: {', '.join(FILTER_OPTIONS)}.")
        for v in [values] if isinstance(values, str) else values:
            args += [f"--{key}", str(v)]
    return [*args, "--format", "json"]


def monev_kpi_command(paths: Paths, args: Sequence[str]) -> str:
    """The shell command an analyst can paste to get the same JSON."""
    return shlex.join(["monev", "kpi", *args, "--data-dir", str(paths.data_dir)])


def run_monev_kpi(paths: Paths, args: Sequence[str], *, timeout: float = 120) -> dict[str, Any]:
    """Run ``monev kpi <args>`` in a separate process (this Python) and parse its JSON."""
    cmd = [sys.executable, "-m", "pipelines.cli", "kpi", *args, "--data-dir", str(paths.data_dir)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if r.returncode != 0:
        raise MonevKpiFailed(
            f"`{monev_kpi_command(paths, args)}` gagal (kode {r.returncode}):\n{(r.stderr or r.stdout).strip()}"
        )
    try:
        return json.loads(r.stdout)
    except json.JSONDecodeError as e:
        raise MonevKpiFailed(
            f"`{monev_kpi_command(paths, args)}` tidak mencetak JSON yang sah ({e}); awal keluaran: {r.stdout[:200]!r}"
        ) from None


def monev_kpi(
    paths: Paths,
    date_from: dt.date | str,
    date_to: dt.date | str,
    *,
    as_of: dt.date | str | None = None,
    filters: Mapping[str, str | Sequence[str]] | None = None,
) -> dict[str, Any]:
    """The JSON of ``monev kpi --from .. --to .. [--as-of ..] [filters] --format json``; the arguments
    used are kept under the key ``"_args"``."""
    args = kpi_args(date_from, date_to, as_of=as_of, filters=filters)
    out = run_monev_kpi(paths, args)
    out["_args"] = args
    return out


def _step_text(step: PathStep) -> str:
    if isinstance(step, Mapping):
        return "[" + ", ".join(f"{k}={v}" for k, v in step.items()) + "]"
    return f"[{step}]" if isinstance(step, int) else f".{step}"


def path_text(path: Sequence[PathStep]) -> str:
    """("by_department", {"department": "X"}, "response_late") -> 'by_department[department=X].response_late'."""
    return "".join(_step_text(s) for s in path).lstrip(".")


def pick(obj: Any, path: Sequence[PathStep]) -> Any:
    """The value at ``path`` in a ``monev kpi`` JSON: a step is a key, a list index, or, for a list of
    rows, a mapping that selects the one row whose fields equal it (e.g. ``{"department": "X"}``)."""
    cur = obj
    for i, step in enumerate(path):
        where = path_text(path[: i + 1])
        if isinstance(step, Mapping):
            if not isinstance(cur, list):
                raise KeyError(f"{where}: bukan daftar baris")
            rows = [r for r in cur if isinstance(r, Mapping) and all(r.get(k) == v for k, v in step.items())]
            if len(rows) != 1:
                raise KeyError(f"{where}: {len(rows)} baris cocok, seharusnya tepat 1")
            cur = rows[0]
        elif isinstance(step, int):
            if not isinstance(cur, list) or not -len(cur) <= step < len(cur):
                raise KeyError(f"{where}: indeks di luar daftar")
            cur = cur[step]
        else:
            if not isinstance(cur, Mapping) or step not in cur:
                raise KeyError(f"{where}: kunci tidak ada")
            cur = cur[step]
    return cur


def _plain(v: Any) -> Any:
    """A JSON-comparable value: numpy and Decimal numbers to int/float, NaN to None."""
    if v is None or isinstance(v, bool | str):
        return v
    if hasattr(v, "item") and not isinstance(v, int | float):  # numpy scalar
        v = v.item()
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, int):
        return v
    f = float(v)
    return None if math.isnan(f) else f


def same_value(a: Any, b: Any) -> bool:
    """Equal as ``monev kpi`` would print them: counts exactly, fractions to 1e-9 relative (SQL and
    Python may round the last binary digit differently), null only equal to null."""
    a, b = _plain(a), _plain(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


@dataclass(frozen=True)
class Figure:
    """One figure a notebook prints, and where the same figure sits in the ``monev kpi`` JSON."""

    label: str
    path: tuple[PathStep, ...]
    value: Any


class FigureCheck:
    """The result of ``check_figures``: a table in the notebook, and a JSON bundle for the tests."""

    def __init__(self, args: Sequence[str], rows: list[dict[str, Any]]):
        self.args = list(args)
        self.rows = rows

    @property
    def ok(self) -> bool:
        return all(r["cocok"] for r in self.rows)

    def _fmt(self, v: Any) -> str:
        v = _plain(v)
        if v is None:
            return fmt.EMPTY
        if isinstance(v, int):
            return fmt.number(v)
        if isinstance(v, float):
            return fmt.number(v, 4) if not v.is_integer() else fmt.number(v)
        return str(v)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        head = ("Angka", "Di notebook", "Di `monev kpi`", "Cocok")
        body = [
            (r["label"], self._fmt(r["notebook"]), self._fmt(r["monev_kpi"]), "ya" if r["cocok"] else "TIDAK")
            for r in self.rows
        ]
        text = "\n".join(" | ".join(row) for row in (head, *body))
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body
        )
        table = (
            "<table><thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr></thead>"
            f"<tbody>{cells}</tbody></table>"
        )
        record = {
            "args": self.args,
            "figures": [{"label": r["label"], "path": list(r["path"]), "value": _plain(r["notebook"])} for r in self.rows],
        }
        return {"text/plain": text, "text/html": table, CHECK_MIMETYPE: record}


def compare_figures(figures: Iterable[Figure], cli: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each figure beside the ``monev kpi`` value at its path, with ``cocok`` (match) true or false."""
    rows = []
    for f in figures:
        try:
            other = pick(cli, f.path)
        except KeyError as e:
            other, ok = f"(tidak ada: {e.args[0]})", False
        else:
            ok = same_value(f.value, other)
        rows.append({"label": f.label, "path": tuple(f.path), "notebook": f.value, "monev_kpi": other, "cocok": ok})
    return rows


def check_figures(figures: Iterable[Figure], cli: Mapping[str, Any]) -> FigureCheck:
    """Compare the notebook's figures with ``monev kpi`` (from ``monev_kpi``); raise FigureMismatch
    naming every figure that differs, else return the table to display."""
    figures = list(figures)
    if not figures:
        raise ValueError("Tidak ada angka untuk diperiksa.")
    rows = compare_figures(figures, cli)
    bad = [r for r in rows if not r["cocok"]]
    if bad:
        lines = "\n".join(
            f"- {r['label']} ({path_text(r['path'])}): notebook {r['notebook']!r}, monev kpi {r['monev_kpi']!r}"
            for r in bad
        )
        raise FigureMismatch(
            "Angka notebook berbeda dari `monev kpi` untuk masukan yang sama:\n"
            f"{lines}\nNotebook ini menyimpang dari aturan KPI: hitung ulang angka itu lewat pipelines.kpi."
        )
    return FigureCheck(cli.get("_args", []), rows)


def format_frame(df: Any, *, percent: Iterable[str] = (), days: Iterable[str] = (), decimals: int = 1) -> Any:
    """A copy of a polars frame for display, its numbers in Indonesian format: counts 1.234, the
    ``percent`` columns (fractions) 87,5%, the ``days`` columns 3,5 HK, other fractions 0,4."""
    import polars as pl


    percent, days = set(percent), set(days)
    exprs = []
    for name, dtype in df.schema.items():
        if name in percent:
            f = lambda x: fmt.percent(x, decimals)  # noqa: E731
        elif name in days:
            f = lambda x: fmt.days(x, decimals)  # noqa: E731
        elif dtype.is_integer() or dtype == pl.Decimal:
            f = fmt.number
        elif dtype.is_float():
            f = lambda x: fmt.number(x, decimals)  # noqa: E731
        else:
            continue
        exprs.append(pl.col(name).map_elements(f, return_dtype=pl.String, skip_nulls=False))
    return df.with_columns(exprs) if exprs else df


# the headline cards of the executive page (dashboard Ringkasan, scorecard, notebook 01), in that order
HEADLINE_CARDS = ("received", "response_rate", "on_time_response_rate", "resolution_rate", "resolution_days_median",
                  "backlog_overdue")


def headline(con: Any, date_from: dt.date, date_to: dt.date, *, as_of: dt.date | None = None,
             filters: Mapping[str, Any] | None = None, comparison: str | None = None) -> dict[str, Any]:
    """The executive page's headline figures for a view, as notebook 01 shows them: ``compute`` with the
    comparison window (the one rule of ``pipelines.periods.comparison_for``), and per card the value, the
    comparison's value, the change (``pipelines.kpi.derived.change``), the overdue share and the
    "sampel kecil" mark. No KPI rule here: every number is read from the KPI layer."""
    result = compute(con, date_from, date_to, as_of=as_of, filters=dict(filters or {}),
                     comparison=comparison or DEFAULT_COMPARISON)
    cmp = result.get("comparison") or {}
    ms = rules_text.min_sample(result)
    cards = [
        {"key": k, "label": label(k), "value": result.get(k), "comparison": cmp.get(k),
         "change": (cmp.get("change") or {}).get(k), "note": derived.small_sample_note(result, (k,), ms)}
        for k in HEADLINE_CARDS
    ]
    return {"result": result, "comparison": cmp or None, "cards": cards,
            "overdue_share": derived.overdue_share(result),
            "ranks": {r["department"]: r["rank"] for r in result["by_department"]}}
