"""Real 311 layouts (input-formats.md 1b): NYC's month-first, 12-hour-clock CSV read
through a profile written only in YAML, and a San Francisco Open311 feed that
repeats a key in one object (a date, then null). Fixtures written by hand."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.build.core import run_pipeline
from pipelines.ingest.canonical import stage_file
from pipelines.ingest.profiles import load_profiles
from pipelines.kpi.api import compute
from pipelines.masterdata import load_master_data
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

NYC_PROFILE = """\
name: nyc311
label: NYC 311 Service Requests (CSV)
source_system: open311
mapping: standard
has_verification_step: false
timed_steps: [resolution]
formats: [csv]
file_patterns: ["*nyc*"]
channel:
  fixed: Open311
status:
  required: true
  labels: {Closed: resolved, Open: awaiting_response, In Progress: in_progress, Assigned: awaiting_response,
           Pending: postponed, Started: in_progress}
dates:
  month_first: true          # 05/01/2022 = 1 May 2022
  timezone: America/New_York
  formats: ["%m/%d/%Y %I:%M:%S %p"]   # 12-hour clock with AM/PM
fields:
  source_id: {required: true, aliases: [Unique Key]}
  reported_at: {required: true, aliases: [Created Date]}
  resolved_at: {aliases: [Closed Date]}
  status: {required: true, aliases: [Status]}
  department: {aliases: [Agency]}
  category: {aliases: [Complaint Type]}
  body: {aliases: [Descriptor]}
  location: {aliases: [Incident Address]}
"""

NYC_CSV = """\
Unique Key,Created Date,Closed Date,Agency,Complaint Type,Descriptor,Incident Address,Status
53800001,05/01/2022 12:00:03 AM,05/01/2022 02:15:00 PM,NYPD,Noise - Residential,Loud Music/Party,100 BROADWAY,Closed
53800002,05/01/2022 12:30:00 PM,,DSNY,Dirty Condition,Trash,5 MAIN STREET,Open
53800003,05/02/2022 11:59:59 PM,05/03/2022 12:00:00 AM,DOT,Street Condition,Pothole,1 PARK AVE,Closed
53800004,12/13/2022 01:05:00 AM,,HPD,HEAT/HOT WATER,ENTIRE BUILDING,7 ELM ST,In Progress
"""


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("MONEV_PII_SALT", "test-salt")


def _config_with(tmp_path: Path, name: str, text: str) -> Path:
    cdir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, cdir)
    (cdir / "profiles" / name).write_text(text, encoding="utf-8")
    return cdir


def test_nyc_311_csv_through_a_yaml_only_profile(tmp_path):
    cdir = _config_with(tmp_path, "nyc311.yaml", NYC_PROFILE)
    f = tmp_path / "nyc_311_2022.csv"
    f.write_text(NYC_CSV, encoding="utf-8")
    sf = stage_file(f, load_master_data(cdir), load_profiles(cdir))
    assert sf.profile.name == "nyc311"
    got = {r["source_id"]: r for r in sf.rows.iter_rows(named=True)}
    assert got["53800001"]["reported_at"] == dt.datetime(2022, 5, 1, 0, 0, 3)  # 12 AM is midnight
    assert got["53800001"]["resolved_at"] == dt.datetime(2022, 5, 1, 14, 15)
    assert got["53800002"]["reported_at"] == dt.datetime(2022, 5, 1, 12, 30)  # 12 PM is noon
    assert got["53800003"]["resolved_at"] == dt.datetime(2022, 5, 3, 0, 0)
    assert got["53800004"]["reported_at"] == dt.datetime(2022, 12, 13, 1, 5)  # month 12 first: not a day
    assert [got[k]["status"] for k in sorted(got)] == ["resolved", "awaiting_response", "resolved", "in_progress"]
    assert {r["times_resolution"] for r in got.values()} == {True}
    assert {r["times_response"] for r in got.values()} == {False}

    p = Paths.from_args(tmp_path / "data", cdir)
    p.raw_dir.mkdir(parents=True)
    shutil.copy(f, p.raw_dir / f.name)
    r = run_pipeline(p)
    assert r.published, r.message
    con = duckdb.connect(str(p.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM complaints WHERE resolved_at IS NOT NULL").fetchone()[0] == 2


def _sf_feed() -> str:
    # Written by hand as a string: json.dumps cannot repeat a key in one object.
    objs = []
    for i, (status, upd) in enumerate(
        [("closed", "2010-04-15T09:00:00-08:00"), ("closed", "2010-04-20T17:30:00-08:00"), ("open", None)], start=1
    ):
        first = json.dumps(upd)
        objs.append(
            "{"
            f'"service_request_id": "{100 + i}", "status": "{status}", "status_notes": "",'
            ' "service_name": "Street and Sidewalk Cleaning", "agency_responsible": "DPW Ops Queue",'
            f' "description": "Request {i}", "requested_datetime": "2010-04-14T06:37:38-08:00",'
            f' "updated_datetime": {first}, "address": "8TH ST", "updated_datetime": null'
            "}"
        )
    return "[" + ",\n".join(objs) + "]"


def test_repeated_json_key_keeps_the_non_empty_value(tmp_path):
    f = tmp_path / "open311_sf.json"
    f.write_text(_sf_feed(), encoding="utf-8")
    md = load_master_data(DEFAULT_CONFIG_DIR)
    sf = stage_file(f, md, load_profiles(DEFAULT_CONFIG_DIR))
    got = {r["source_id"]: r for r in sf.rows.iter_rows(named=True)}
    # 2010-04-15 09:00 -08:00 = 2010-04-16 00:00 WIB
    assert got["101"]["resolved_at"] == dt.datetime(2010, 4, 16, 0, 0)
    assert got["102"]["resolved_at"] == dt.datetime(2010, 4, 21, 8, 30)
    assert got["103"]["resolved_at"] is None and got["103"]["status"] == "awaiting_response"
    assert any('"updated_datetime" (3 objek)' in n and "tidak kosong" in n for n in sf.notes)

    p = Paths.from_args(tmp_path / "data", DEFAULT_CONFIG_DIR)
    p.raw_dir.mkdir(parents=True)
    shutil.copy(f, p.raw_dir / f.name)
    r = run_pipeline(p)
    assert r.published
    assert [n[:45] for n in r.files[0].notes] == ['Kunci ganda dalam satu objek JSON: "updated_d']  # monev run prints it
    con = duckdb.connect(str(p.warehouse), read_only=True)
    k = compute(con, dt.date(2010, 4, 1), dt.date(2010, 4, 30))
    assert (k["received"], k["in_scope"], k["resolved"]) == (3, 3, 2)
    assert k["backlog_open"] == 1
