"""Composes the SQL models under ``pipelines/kpi/sql`` into one statement and runs it.

Each ``.sql`` file is one model (a SELECT, dbt style). A query is the chain
``kpi_settings -> repeat_flags, history_flags -> complaint_facts_all -> complaint_facts ->
group_metrics -> breakdown -> by_month`` as CTEs, followed by a final SELECT.
At the published snapshot's as-of date, ``complaint_facts_all`` is read from the
table ``kpi_complaint_facts`` the build filled with the same model
(``materialize_facts``), when the settings it was filled with are the stored ones;
at any other as-of date ``repeat_flags`` and ``history_flags`` (which do not depend on the
as-of date or the settings) are read from the tables ``kpi_repeat_flags`` and
``kpi_history_flags``. Values are always bound
parameters; the only text filled into SQL is taken from the fixed ``DIMENSIONS``
table below (grouping sets), never from user input.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import duckdb

# dimension name -> (grouping columns, column holding the group's value)
DIMENSIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "total": ((), None),
    "department": (("department",), "department"),
    "category": (("category",), "category"),
    "channel": (("channel",), "channel"),
    "kecamatan": (("kecamatan",), "kecamatan"),
    "kelurahan": (("kecamatan", "kelurahan"), "kelurahan"),
    "classification": (("classification",), "classification"),
    "month": (("month",), None),
    "department_month": (("department", "month"), "department"),
    "category_month": (("category", "month"), "category"),
    "channel_month": (("channel", "month"), "channel"),
    "kecamatan_month": (("kecamatan", "month"), "kecamatan"),
}
# the columns group_metrics groups by, in GROUPING() order
GROUP_COLUMNS = ("department", "category", "channel", "kecamatan", "kelurahan", "classification", "month")

# model name -> models it reads (besides warehouse tables), in dependency order
MODELS: dict[str, tuple[str, ...]] = {
    "kpi_settings": (),  # run first on its own; its row is bound into the others as values
    "repeat_flags": (),
    "history_flags": (),
    "complaint_facts_all": ("repeat_flags", "history_flags"),
    "complaint_facts": ("complaint_facts_all",),
    "group_metrics": ("complaint_facts",),
    "breakdown": ("group_metrics",),
    "by_month": ("breakdown",),
    # final SELECTs (not CTEs): the statement ends with them
    "compute": ("breakdown", "by_month"),
    "complaint_list": ("complaint_facts",),
    "early_warning": ("complaint_facts",),
}

# The build's copy of complaint_facts_all at the snapshot's as-of date, and what it was filled with.
FACTS_TABLE = "kpi_complaint_facts"
# the same one year earlier (the as-of date of the comparisons the dashboard and the rating open on)
FACTS_TABLE_PREVIOUS_YEAR = "kpi_complaint_facts_previous_year"
FACTS_TABLES = (FACTS_TABLE, FACTS_TABLE_PREVIOUS_YEAR)
FACTS_META_TABLE = "kpi_facts_meta"
REPEAT_TABLE = "kpi_repeat_flags"
HISTORY_TABLE = "kpi_history_flags"
# "0" makes every query compute complaint_facts_all and repeat_flags from complaints (tests compare both ways)
FACTS_TABLE_ENV = "MONEV_KPI_FACTS_TABLE"

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_LEADING_COMMENTS = re.compile(r"\A(?:\s*--[^\n]*\n|\s+)*")
_WITH = re.compile(r"\A\s*WITH\b", re.IGNORECASE)


@cache
def model_sql(name: str) -> str:
    """The text of model ``name`` (``pipelines/kpi/sql/<name>.sql``)."""
    return resources.files("pipelines.kpi").joinpath(f"sql/{name}.sql").read_text(encoding="utf-8")


def _grouping_parts(dimensions: tuple[str, ...]) -> dict[str, str]:
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown KPI dimension(s): {unknown}")
    sets = ", ".join("(" + ", ".join(DIMENSIONS[d][0]) + ")" for d in dimensions)
    used = [c for c in GROUP_COLUMNS if any(c in DIMENSIONS[d][0] for d in dimensions)]
    # GROUPING() needs at least one column; a lone grand total groups by nothing
    grouping = "GROUPING(" + ", ".join(used) + ")" if used else "0"
    dim_case, value_case = [], []
    for d in dimensions:
        cols = DIMENSIONS[d][0]
        # GROUPING() sets a bit for every column NOT grouped; the first column is the high bit
        mask = sum(1 << (len(used) - 1 - i) for i, c in enumerate(used) if c not in cols)
        dim_case.append(f"WHEN {mask} THEN '{d}'")
        value = DIMENSIONS[d][1]
        value_case.append(f"WHEN {mask} THEN {value if value else 'NULL'}")
    columns = ",\n    ".join(
        c if c in used else f"CAST(NULL AS {'DATE' if c == 'month' else 'VARCHAR'}) AS {c}" for c in GROUP_COLUMNS
    )
    return {
        "/*GROUPING_SETS*/": sets,
        "/*DIMENSION*/": f"CASE {grouping} {' '.join(dim_case)} END",
        "/*GROUP_VALUE*/": f"CAST(CASE {grouping} {' '.join(value_case)} END AS VARCHAR)",
        "/*GROUP_COLUMNS*/": columns,
    }


def _needed(models: tuple[str, ...], facts_table: bool | str = False) -> list[str]:
    out: list[str] = []

    def visit(m: str) -> None:
        for dep in () if (facts_table and m == "complaint_facts_all") else MODELS[m]:
            visit(dep)
        if m not in out:
            out.append(m)

    for m in models:
        visit(m)
    return out


def build_query(
    final_sql: str,
    models: tuple[str, ...],
    dimensions: tuple[str, ...] = ("total",),
    materialized: tuple[str, ...] = ("breakdown",),
    facts_table: bool | str = False,
    repeat_table: bool = False,
) -> str:
    """``WITH <models in dependency order> <final_sql>``; ``models`` are those the final SELECT reads,
    ``materialized`` those computed once because several branches read them. ``facts_table``: read
    complaint_facts_all from the build's table (True: kpi_complaint_facts, or one of FACTS_TABLES by name;
    only valid at its as-of date and settings);
    ``repeat_table``: read repeat_flags and history_flags from the build's tables (valid at every as-of date)."""
    parts = _grouping_parts(dimensions)
    table = FACTS_TABLE if facts_table is True else facts_table
    if table and table not in FACTS_TABLES:
        raise ValueError(f"unknown KPI facts table: {table!r}")
    if facts_table:  # already stored: a filtered scan of the table is cheaper than a copy of it
        materialized = tuple(m for m in materialized if m not in ("complaint_facts_all", "complaint_facts"))
    ctes = []
    for m in _needed(models, facts_table):
        from_table = facts_table and m == "complaint_facts_all"
        if from_table:
            body = f"SELECT * FROM {table}"  # noqa: S608 - a fixed table name (FACTS_TABLES)
        elif repeat_table and m == "repeat_flags":
            # every complaint's flag; the model flags only those from $repeat_from on, the only ones read
            body = f"SELECT complaint_key, is_repeat FROM {REPEAT_TABLE}"  # noqa: S608 - a fixed table name
        elif repeat_table and m == "history_flags":
            body = f"SELECT * FROM {HISTORY_TABLE}"  # noqa: S608 - a fixed table name
        else:
            body = model_sql(m)
        if m == "group_metrics":
            for placeholder, text in parts.items():
                body = body.replace(placeholder, text)
        if m in materialized:
            materialize = " MATERIALIZED"
        elif from_table or (facts_table and m == "complaint_facts"):
            materialize = " NOT MATERIALIZED"  # DuckDB would copy a CTE that several branches read
        else:
            materialize = ""
        ctes.append(f"{m} AS{materialize} (\n{body.rstrip().rstrip(';')}\n)")
    # a final model with its own CTEs continues the WITH list
    body = _LEADING_COMMENTS.sub("", final_sql)
    if _WITH.match(body):
        return "WITH\n" + ",\n".join(ctes) + ",\n" + _WITH.sub("", body, count=1)
    return "WITH\n" + ",\n".join(ctes) + "\n" + final_sql


@dataclass(frozen=True)
class KpiQuery:
    """Everything a KPI query is parameterised by (all bound as values): the window, the as-of date
    and the filter set. (Not the access scope, ``pipelines.auth.scope.Scope``: what a user may see.)

    ``settings`` is the kpi_settings row read from the warehouse: limits, min_sample,
    duplicates setting, aging buckets and the working-day index of the as-of date.
    """

    as_of: dt.date
    settings: dict[str, Any]
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    prev_from: dt.date | None = None
    prev_to: dt.date | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    # complaint_facts_all may be read from this table of the build (see stored_tables), else False
    facts_table: bool | str = False
    # repeat_flags may be read from the build's table
    repeat_table: bool = False

    @property
    def aging_labels(self) -> list[str]:
        return [str(b["label"]) for b in self.settings["aging_buckets"]]

    @property
    def aging_bounds(self) -> list[int]:
        # the last bucket takes every older complaint, whatever bound it carries
        return [int(b["max"]) for b in self.settings["aging_buckets"][:-1]]

    def params(self) -> dict[str, Any]:
        s = self.settings
        p: dict[str, Any] = {
            "as_of": self.as_of,
            "as_of_end": s["as_of_end"],
            "due_soon_days": s["due_soon_days"],
            "wd_as_of": s["wd_as_of"],
            "verification_limit": s["verification_limit"],
            "response_limit": s["response_limit"],
            "resolution_limit": s["resolution_limit"],
            "resolution_pengawasan_limit": s["resolution_pengawasan_limit"],
            "count_duplicates_once": bool(s["count_duplicates_once"]),
            "min_sample": s["min_sample"],
            **{f"league_{i}": (list(s["league"]) + [None, None, None])[i - 1] for i in (1, 2, 3)},
            "aging_labels": self.aging_labels,
            "aging_bounds": self.aging_bounds,
            "date_from": self.date_from,
            "date_to": self.date_to,
            # no previous period: an empty range
            "prev_from": self.prev_from or dt.date(1, 1, 2),
            "prev_to": self.prev_to or dt.date(1, 1, 1),
            # repeats are only counted in the period, so only flag those
            "repeat_from": self.date_from,
        }
        for key in ("department", "category", "channel", "kecamatan", "kelurahan", "classification"):
            values = self.filters.get(key)
            p[f"f_{key}"] = list(values) if values else None
        return p


def read_settings(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> dict[str, Any]:
    """The kpi_settings row for ``as_of``: limits and settings as stored in the warehouse."""
    cur = run(con, model_sql("kpi_settings"), {"as_of": as_of})
    return fetch_dicts(cur)[0]


def _settings_key(settings: dict[str, Any]) -> str:
    return json.dumps(settings, sort_keys=True, default=str)


def same_day_last_year(d: dt.date) -> dt.date:
    """``d`` one year earlier (29 February: the 28th)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


def materialize_facts(con: duckdb.DuckDBPyConnection, as_of: dt.date, snapshot_id: str) -> int:
    """Store complaint_facts_all (no scope filter, repeats flagged over the whole history) at ``as_of``
    as ``kpi_complaint_facts`` and at the same day a year earlier as
    ``kpi_complaint_facts_previous_year``, repeat_flags as ``kpi_repeat_flags`` and history_flags as
    ``kpi_history_flags``, with the settings
    row and snapshot each was computed from in ``kpi_facts_meta``. The same SQL models fill them, so
    no rule is written twice. Returns the rows of kpi_complaint_facts."""
    cur = con.cursor()
    for t in (*FACTS_TABLES, FACTS_META_TABLE, REPEAT_TABLE, HISTORY_TABLE):
        cur.execute(f"DROP TABLE IF EXISTS {t}")
    cur.execute(
        f"CREATE TABLE {FACTS_META_TABLE} (as_of DATE, table_name VARCHAR, snapshot_id VARCHAR,"
        " complaints BIGINT, facts BIGINT, settings VARCHAR)"
    )
    complaints = cur.execute("SELECT count(*) FROM complaints").fetchone()[0]
    sql = build_query(
        "SELECT * FROM complaint_facts_all ORDER BY reported_at, complaint_key", ("complaint_facts_all",),
        materialized=(),
    )
    out = 0
    for table, day in ((FACTS_TABLE, as_of), (FACTS_TABLE_PREVIOUS_YEAR, same_day_last_year(as_of))):
        settings = read_settings(con, day)
        scope = KpiQuery(as_of=day, settings=settings)  # date_from None: every complaint gets its repeat flag
        run(cur, f"CREATE TABLE {table} AS\n{sql}", scope.params())
        rows = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed name
        cur.execute(
            f"INSERT INTO {FACTS_META_TABLE} VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608 - fixed name
            [day, table, snapshot_id, complaints, rows, _settings_key(settings)],
        )
        out = out or rows
    # repeats do not depend on the as-of date or the settings: every complaint's flag, for any as-of
    run(cur, f"CREATE TABLE {REPEAT_TABLE} AS\n{model_sql('repeat_flags')}", {"repeat_from": None})
    # nor does what the status history says (status_since, label_since, reopened_on)
    run(cur, f"CREATE TABLE {HISTORY_TABLE} AS\n{model_sql('history_flags')}", {})
    return out


def stored_tables(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, settings: dict[str, Any]
) -> tuple[str | None, bool]:
    """(facts table, repeats): the table of FACTS_TABLES that holds complaint_facts_all for ``as_of``
    with exactly these settings (None: none does), and whether ``kpi_repeat_flags`` and ``kpi_history_flags`` may be read; only
    tables filled for the published snapshot from its complaints count (else the models are computed)."""
    if os.environ.get(FACTS_TABLE_ENV, "1").strip() == "0":
        return None, False
    cur = con.cursor()
    try:
        rows = cur.execute(
            f"""
            SELECT m.as_of, m.table_name, m.settings,
                   m.snapshot_id = (SELECT snapshot_id FROM snapshot ORDER BY built_at DESC, snapshot_id DESC LIMIT 1)
                   AND m.complaints = (SELECT count(*) FROM complaints)
                   AND m.facts = CASE m.table_name
                       WHEN '{FACTS_TABLE}' THEN (SELECT count(*) FROM {FACTS_TABLE})
                       WHEN '{FACTS_TABLE_PREVIOUS_YEAR}' THEN (SELECT count(*) FROM {FACTS_TABLE_PREVIOUS_YEAR})
                   END
                   AND (SELECT count(*) FROM information_schema.tables
                        WHERE table_name IN ('{REPEAT_TABLE}', '{HISTORY_TABLE}')) = 2
            FROM {FACTS_META_TABLE} AS m
            """  # noqa: S608 - fixed names
        ).fetchall()
    except duckdb.CatalogException:  # a warehouse built before the tables existed, or a test warehouse
        return None, False
    if not rows or not all(r[3] for r in rows):
        return None, False
    key = _settings_key(settings)
    table = next((r[1] for r in rows if r[0] == as_of and r[2] == key and r[1] in FACTS_TABLES), None)
    return table, True


def facts_table_usable(con: duckdb.DuckDBPyConnection, as_of: dt.date, settings: dict[str, Any]) -> bool:
    """True when a stored table may stand for complaint_facts_all at ``as_of`` (stored_tables)."""
    return stored_tables(con, as_of, settings)[0] is not None


def run(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, Any],
) -> duckdb.DuckDBPyConnection:
    """Execute ``sql`` on a private cursor, binding only the parameters it names."""
    cur = con.cursor()
    return cur.execute(sql, bound_params(sql, params))


def bound_params(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters ``sql`` names (``$name``), taken from ``params``; a missing one raises KeyError."""
    names = set(_PARAM.findall(sql))
    missing = names - set(params)
    if missing:
        raise KeyError(f"KPI query parameters not given: {sorted(missing)}")
    return {k: v for k, v in params.items() if k in names}


def fetch_dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
