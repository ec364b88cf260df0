"""What the warehouse knows of the officers' register: per OPD only whether it has an officer and whether
one of them is named in an SK that is current at the snapshot's as-of date. No name, position, e-mail,
number or SK number ever enters the warehouse.

The build writes ``officer_register`` (``copy_register_facts``); the rating reads it
(``load_register_facts``) for the Input indicator ``opd_liaison_share`` (config/rating_model.yaml). An
empty register writes no rows, and the indicator is then not counted (as a data indicator without a value).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from pipelines.officers.register import list_officers, register_flags
from pipelines.settings import Paths

REGISTER_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS officer_register (
    department      VARCHAR PRIMARY KEY,   -- canonical OPD name
    has_officer     BOOLEAN NOT NULL,      -- at least one officer in the register
    sk_current      BOOLEAN NOT NULL,      -- one of them named in an SK at most a year old at reference_date
    reference_date  DATE NOT NULL          -- the snapshot's as-of date
)
"""


def copy_register_facts(con: Any, paths: Paths, departments: Sequence[str], reference: dt.date) -> str:
    """Fill ``officer_register`` in a warehouse being built; returns a fingerprint part for the input hash
    ('' when the register is empty, so an installation without a register keeps its hashes)."""
    con.execute(REGISTER_TABLE_SQL)
    con.execute("DELETE FROM officer_register")
    officers = list_officers(paths)
    if not officers:
        return ""
    flags = register_flags(departments, officers, reference)
    rows = [(f.department, f.officers > 0, f.sk_current, reference) for f in flags]
    con.executemany("INSERT INTO officer_register VALUES (?, ?, ?, ?)", rows)
    h = hashlib.sha256("\n".join(f"{d}|{o}|{c}" for d, o, c, _ in rows).encode()).hexdigest()[:16]
    return f";pejabat:{h}"


def load_register_facts(con: Any) -> list[dict[str, Any]]:
    """The warehouse's register facts (empty when the register was empty or the warehouse predates it)."""
    has = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'officer_register'").fetchone()[0]
    if not has:
        return []
    cur = con.execute("SELECT department, has_officer, sk_current FROM officer_register ORDER BY department")
    return [{"department": d, "has_officer": bool(o), "sk_current": bool(c)} for d, o, c in cur.fetchall()]
