"""The app-state store: file location, WAL, migrations applied once and extendable."""

import sqlite3

import pytest

from pipelines import state
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths


@pytest.fixture
def paths(tmp_path):
    return Paths(tmp_path / "data", DEFAULT_CONFIG_DIR)


def test_store_is_created_in_state_dir_with_wal(paths):
    with state.open_state(paths) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert "0001_evidence" in state.applied_migrations(con)
        cols = {r[1] for r in con.execute("PRAGMA table_info(evidence)")}
    assert state.state_path(paths) == paths.data_dir / "state" / "app.sqlite"
    assert state.state_path(paths).exists()
    assert {"evidence_id", "indicator_id", "year", "sha256", "status", "status_reason"} <= cols


def test_migrations_run_once_and_new_ones_are_added(paths, monkeypatch):
    with state.open_state(paths) as con:
        con.execute("INSERT INTO evidence (indicator_id, year, title, doc_type, doc_date, file_name, file_ref, sha256, "
                    "size_bytes, recorded_by, recorded_at) VALUES ('x', 2025, 't', 'SK', '2025-01-01', 'a.pdf', "
                    "'r', 'h', 1, 'u', '2025-01-01 00:00:00')")
    monkeypatch.setattr(state, "MIGRATIONS", list(state.MIGRATIONS))
    with state.open_state(paths) as con:
        before = state.applied_migrations(con)
    assert before[0] == "0001_evidence"
    state.register_migration("0999_example", "CREATE TABLE example_store (name TEXT PRIMARY KEY)")
    state.register_migration("0999_example", "CREATE TABLE example_store (name TEXT PRIMARY KEY)")  # idempotent
    with pytest.raises(ValueError):
        state.register_migration("0999_example", "CREATE TABLE other (x INT)")
    with state.open_state(paths) as con:
        assert state.applied_migrations(con) == [*before, "0999_example"]
        assert con.execute("SELECT count(*) FROM evidence").fetchone()[0] == 1  # data kept
        con.execute("INSERT INTO example_store VALUES ('ani')")
    with state.open_state(paths) as con:  # reopening applies nothing twice
        assert state.applied_migrations(con) == [*before, "0999_example"]
        assert con.execute("SELECT count(*) FROM example_store").fetchone()[0] == 1


def test_failed_migration_rolls_back(paths, monkeypatch):
    monkeypatch.setattr(state, "MIGRATIONS", list(state.MIGRATIONS))
    state.register_migration("0200_broken", "CREATE TABLE half (x INT); CREATE TABLE half (x INT)")
    with pytest.raises(sqlite3.OperationalError):
        state.connect(paths)
    con = sqlite3.connect(state.state_path(paths))
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM schema_migrations WHERE id = '0200_broken'").fetchone()[0] == 0


def test_transaction_rolls_back_on_error(paths):
    with state.open_state(paths) as con:
        with pytest.raises(RuntimeError), state.transaction(con):
            con.execute("INSERT INTO evidence (indicator_id, year, title, doc_type, doc_date, file_name, file_ref, "
                        "sha256, size_bytes, recorded_by, recorded_at) VALUES ('x', 2025, 't', 'SK', '2025-01-01', "
                        "'a.pdf', 'r', 'h', 1, 'u', 'now')")
            raise RuntimeError("boom")
        assert con.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
