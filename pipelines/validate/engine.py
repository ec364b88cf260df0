"""Run the suites with Great Expectations on pandas frames and turn the
unexpected rows into issue rows (file, row, column, rule, observed, message).

Great Expectations' DuckDB/SQLAlchemy path is broken upstream, so frames are
taken from polars/DuckDB and validated with the pandas engine (pinned 1.24.1).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.ingest.pii import redact_expr
from pipelines.ingest.profiles import FIELD_LABELS
from pipelines.validate.rules import RULES
from pipelines.validate.suites import Check

ISSUE_SCHEMA: dict[str, pl.DataType] = {
    "file_hash": pl.String,
    "file_name": pl.String,
    "sheet": pl.String,
    "source_row": pl.Int64,
    "complaint_key": pl.String,
    "source_id": pl.String,
    "field": pl.String,
    "column_name": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "observed": pl.String,
    "message": pl.String,
}
FINDING_SCHEMA: dict[str, pl.DataType] = {
    "__row": pl.Int64,
    "rule": pl.String,
    "field": pl.String,
    "other": pl.String,
    "observed": pl.String,
    "other_observed": pl.String,
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_import_lock = threading.Lock()


def preload() -> threading.Thread:
    """Import Great Expectations in the background (it takes seconds); the build
    reads files meanwhile, and the first validation waits for the import."""

    def _imp() -> None:
        with _import_lock:
            import great_expectations  # noqa: F401
            import great_expectations.expectations  # noqa: F401

    t = threading.Thread(target=_imp, name="gx-import", daemon=True)
    t.start()
    return t


@dataclass
class SuiteRun:
    name: str
    seconds: float
    evaluated: int
    failed: int
    result: list[dict[str, Any]] = field(repr=False, default_factory=list)


class Validator:
    """One Great Expectations context per build; results kept for the run log."""

    def __init__(self) -> None:
        with _import_lock:
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        self._gx = gx
        self.ctx = gx.get_context(mode="ephemeral")
        self.ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.runs: list[SuiteRun] = []
        # One data source, one asset per frame kind (rows, timestamps, ...) shared by the
        # suites: every registration re-serialises the context's configuration.
        self._ds = self.ctx.data_sources.add_pandas("monev")
        self._batch_defs: dict[str, Any] = {}

    def _batch_definition(self, fname: str) -> Any:
        bd = self._batch_defs.get(fname)
        if bd is None:
            bd = self._batch_defs[fname] = self._ds.add_dataframe_asset(fname).add_batch_definition_whole_dataframe(
                "all"
            )
        return bd

    def validate(self, name: str, frames: Mapping[str, pl.DataFrame], checks: list[Check]) -> pl.DataFrame:
        """Validate each frame against its checks; return the findings (FINDING_SCHEMA)."""
        gx = self._gx
        t0 = time.perf_counter()
        found: list[pl.DataFrame] = []
        results: list[dict[str, Any]] = []
        evaluated = failed = 0
        for fname in frames:
            fchecks = [c for c in checks if c.frame == fname]
            if not fchecks:
                continue
            frame = frames[fname]  # a LazyFrames builds it now; it goes at the end of this turn
            if frame.height == 0:
                continue
            pdf = _for_gx(frame, fchecks).to_pandas()
            bd = self._batch_definition(fname)
            suite = gx.ExpectationSuite(name=f"{name}.{fname}", expectations=[c.expectation for c in fchecks])
            batch = bd.get_batch(batch_parameters={"dataframe": pdf})
            res = batch.validate(suite, result_format={"result_format": "COMPLETE"})
            results.append(res.to_json_dict())
            by_id = {c.id: c for c in fchecks}
            for r in res.results:
                evaluated += 1
                cid = (r.expectation_config.meta or {}).get("check")
                exc = r.exception_info or {}
                if exc.get("raised_exception"):
                    raise RuntimeError(f"Great Expectations gagal menjalankan {cid}: {exc.get('exception_message')}")
                if r.success:
                    continue
                failed += 1
                idx = (r.result or {}).get("unexpected_index_list") or []
                if not idx:
                    continue
                chk = by_id[cid]
                rows = frame[[int(i) for i in idx]]
                found.append(_findings(rows, chk))
            del frame, pdf, batch, res  # one suite frame (and its pandas copy) alive at a time
        self.runs.append(SuiteRun(name, time.perf_counter() - t0, evaluated, failed, results))
        if not found:
            return pl.DataFrame(schema=FINDING_SCHEMA)
        return pl.concat(found, how="vertical_relaxed")

    def write_results(self, run_dir: Path) -> Path:
        """Great Expectations' own results (JSON) for auditors."""
        run_dir.mkdir(parents=True, exist_ok=True)
        path = run_dir / "great_expectations.json"
        payload = {
            "great_expectations_version": self._gx.__version__,
            "suites": [
                {"name": r.name, "seconds": round(r.seconds, 3), "expectations": r.evaluated, "failed": r.failed,
                 "results": r.result}
                for r in self.runs
            ],
        }
        path.write_text(json.dumps(payload, ensure_ascii=False, default=str), encoding="utf-8")
        return path

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.runs)


def _for_gx(frame: pl.DataFrame, checks: list[Check]) -> pl.DataFrame:
    """The part of ``frame`` Great Expectations reads, for the same results on less memory:
    only the columns an expectation names (column, column_A/B, column_list, row_condition),
    and a text column that is only tested for nulls becomes '' where it holds a value (its
    unexpected values are the nulls either way). Rows and their order are unchanged, so the
    unexpected row indices are the same."""
    uses: dict[str, set[str]] = {}
    conditions = []
    for c in checks:
        e = c.expectation
        col = getattr(e, "column", None)
        if col:
            uses.setdefault(col, set()).add(type(e).__name__)
        for other in (getattr(e, "column_A", None), getattr(e, "column_B", None), *(getattr(e, "column_list", None) or ())):
            if other:
                uses.setdefault(other, set()).add("other")
        rc = getattr(e, "row_condition", None)
        if rc is not None:
            conditions.append(str(getattr(rc, "pass_through_filter", None) or rc))
    for name in frame.columns:
        if any(re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", cond) for cond in conditions):
            uses.setdefault(name, set()).add("condition")
    keep = [n for n in frame.columns if n in uses]
    placeholder = [
        n for n in keep if uses[n] == {"ExpectColumnValuesToNotBeNull"} and frame.schema[n] == pl.String
    ]
    return frame.select(
        [pl.when(pl.col(n).is_not_null()).then(pl.lit("")).alias(n) if n in placeholder else pl.col(n) for n in keep]
    )


def _findings(rows: pl.DataFrame, chk: Check) -> pl.DataFrame:
    def col_or(fixed: str | None, name: str) -> pl.Expr:
        if fixed is not None:
            return pl.lit(fixed, dtype=pl.String)
        return pl.col(name).cast(pl.String) if name in rows.columns else pl.lit(None, dtype=pl.String)

    def obs(name: str) -> pl.Expr:
        if name not in rows.columns:
            return pl.lit(None, dtype=pl.String)
        c = pl.col(name)
        dtp = rows.schema[name]
        if dtp == pl.Datetime("us") or isinstance(dtp, pl.Datetime):
            return c.dt.strftime("%d/%m/%Y %H.%M")
        return c.cast(pl.String)

    return rows.select(
        pl.col("__row").cast(pl.Int64) if "__row" in rows.columns else pl.lit(None, dtype=pl.Int64).alias("__row"),
        col_or(chk.rule, "rule").alias("rule"),
        col_or(chk.field, "field").alias("field"),
        col_or(chk.other, "other").alias("other"),
        obs(chk.observed).alias("observed"),
        obs(chk.other_observed).alias("other_observed"),
    )


def render(template: str, values: dict[str, pl.Expr]) -> pl.Expr:
    """A message template ("{label} ({observed})") as one polars string expression."""
    parts: list[pl.Expr] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        if m.start() > pos:
            parts.append(pl.lit(template[pos : m.start()]))
        parts.append(values.get(m.group(1), pl.lit("")).cast(pl.String).fill_null(""))
        pos = m.end()
    if pos < len(template):
        parts.append(pl.lit(template[pos:]))
    return pl.concat_str(parts) if parts else pl.lit("")


def _rule_problems(f: pl.DataFrame, rule_id: str, extra: pl.Expr) -> pl.DataFrame:
    """The findings of one rule with its problem sentence, severity and fix."""
    rule = RULES[rule_id]
    sub = f.filter(pl.col("rule") == rule_id)
    observed = pl.col("observed")
    label = pl.col("__label")
    if rule_id == "reported_at_invalid":
        observed = pl.when(pl.col("observed").is_null()).then(pl.lit("kosong")).otherwise(
            pl.concat_str([pl.lit('tidak dapat dibaca sebagai tanggal (tertulis "'), pl.col("observed"), pl.lit('")')])
        )
        label = pl.lit("tanggal laporan")
    values = {
        "label": label,
        "observed": observed,
        "other_label": pl.col("__other_label"),
        "other_observed": pl.col("other_observed"),
        "extra": extra,
    }
    return (
        sub.with_columns(
            render(rule.problem, values).alias("__problem"),
            pl.lit(rule.severity).alias("severity"),
            pl.lit(rule.fix).alias("__fix"),
        )
    )


def issues_from(
    meta: pl.DataFrame,
    findings: pl.DataFrame,
    *,
    column_names: pl.DataFrame | None = None,
    suggestions: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> pl.DataFrame:
    """Issue rows (ISSUE_SCHEMA) with their Bahasa Indonesia messages.

    ``meta``: the validated rows with __row, file_hash, file_name, sheet, source_row,
    complaint_key, source_id (and channel). ``column_names``: (file_hash, field,
    column_name) as written in each file.
    """
    if findings.height == 0:
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    keep = ["__row", "file_hash", "file_name", "sheet", "source_row", "complaint_key", "source_id"]
    if "channel" in meta.columns:
        keep.append("channel")
    f = findings.join(meta.select(keep), on="__row", how="left")
    if "channel" not in f.columns:
        f = f.with_columns(pl.lit(None, dtype=pl.String).alias("channel"))
    labels = {k: v for k, v in FIELD_LABELS.items()}
    f = f.with_columns(
        pl.col("field").replace_strict(labels, default=pl.col("field"), return_dtype=pl.String).alias("__label"),
        pl.col("other").replace_strict(labels, default=pl.col("other"), return_dtype=pl.String).alias("__other_label"),
        redact_expr(pl.col("observed")).str.slice(0, 200).alias("observed"),
        redact_expr(pl.col("other_observed")).str.slice(0, 200).alias("other_observed"),
    )
    sugg = {}
    for (kind, raw), s in (suggestions or {}).items():
        if s:
            sugg[f"{kind}\x00{raw}"] = "; saran: " + ", ".join(s)
    key = pl.concat_str([pl.col("field"), pl.lit("\x00"), pl.col("observed").fill_null("")])
    extra = (
        pl.when(pl.col("rule") == "channel_value_unknown")
        .then(pl.col("channel").fill_null("-"))
        .otherwise(key.replace_strict(sugg, default="", return_dtype=pl.String))
    )
    parts = [_rule_problems(f, rule_id, extra) for rule_id in f["rule"].unique().to_list()]
    out = pl.concat(parts, how="vertical_relaxed").with_columns(pl.col("__label").alias("column_name"))
    if column_names is not None and column_names.height:
        out = out.join(
            column_names.rename({"column_name": "__col"}), on=["file_hash", "field"], how="left"
        ).with_columns(pl.coalesce([pl.col("__col"), pl.col("column_name")]).alias("column_name"))
    sheet_part = pl.when(pl.col("sheet").is_not_null()).then(pl.lit(", lembar ") + pl.col("sheet")).otherwise(pl.lit(""))
    row_part = pl.when(pl.col("source_row").is_not_null()).then(
        pl.lit(", baris ") + pl.col("source_row").cast(pl.String)
    ).otherwise(pl.lit(""))
    out = out.with_columns(
        pl.concat_str(
            [
                pl.col("file_name").fill_null(""),
                row_part,
                sheet_part,
                pl.lit(', kolom "'),
                pl.col("column_name"),
                pl.lit('": '),
                pl.col("__problem"),
                pl.lit(". "),
                pl.col("__fix"),
                pl.lit("."),
            ]
        ).alias("message")
    )
    return out.select([pl.col(c).cast(t) for c, t in ISSUE_SCHEMA.items()]).sort(
        ["file_name", "sheet", "source_row", "rule", "field"], nulls_last=False
    )


class MinimalChecks:
    """Not validation: only what the warehouse's constraints need (a row without a
    key, date, status or channel cannot load). Used to measure what validation
    costs (docs/pipeline.md); never for a real build."""

    runs: list[SuiteRun]

    def __init__(self) -> None:
        self.runs = []

    def validate(self, name: str, frames: Mapping[str, pl.DataFrame], checks: list[Check]) -> pl.DataFrame:
        rows = frames.get("rows")
        if rows is None or rows.height == 0 or "complaint_key" not in rows.columns or "file_hash" not in rows.columns:
            return pl.DataFrame(schema=FINDING_SCHEMA)
        rule = (
            pl.when(pl.col("complaint_key").is_null()).then(pl.lit("source_id_missing"))
            .when(pl.col("reported_at").is_null()).then(pl.lit("reported_at_invalid"))
            .when(pl.col("status").is_null()).then(pl.lit("status_unknown"))
            .when(pl.col("channel").is_null()).then(pl.lit("channel_unknown"))
            .when(pl.struct("file_hash", "complaint_key").is_duplicated()).then(pl.lit("duplicate_id"))
        )
        bad = rows.with_columns(rule.alias("rule")).filter(pl.col("rule").is_not_null())
        return bad.select(
            pl.col("__row").cast(pl.Int64),
            pl.col("rule"),
            pl.col("rule").replace_strict(
                {"source_id_missing": "source_id", "reported_at_invalid": "reported_at", "status_unknown": "status",
                 "channel_unknown": "channel", "duplicate_id": "source_id"},
                return_dtype=pl.String,
            ).alias("field"),
            pl.lit(None, dtype=pl.String).alias("other"),
            pl.lit(None, dtype=pl.String).alias("observed"),
            pl.lit(None, dtype=pl.String).alias("other_observed"),
        )

    def write_results(self, run_dir: Path) -> None:
        return None

    @property
    def seconds(self) -> float:
        return 0.0
