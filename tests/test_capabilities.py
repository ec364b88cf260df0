"""Capabilities are enforced by the functions that write, not only by the pages: each writing function is
called directly with every role; the roles without the capability are refused before anything is written,
those with it succeed. ``None`` (the command-line operator) may do everything."""

from __future__ import annotations

import pytest

from dashboard import jobs
from pipelines.auth import add_user, get_user, set_active, set_password
from pipelines.auth.scope import Scope, ScopeError
from pipelines.auth.uploads import save_upload
from pipelines.capabilities import CAPABILITIES, CAPABILITY_LABELS, ROLES, CapabilityError, allowed, require
from pipelines.rating import evidence as ev
from pipelines.rating.model import load_model
from pipelines.safe_export import frame_to_csv_bytes, frames_to_xlsx_bytes
from pipelines.settings import DEFAULT_CONFIG_DIR, Paths

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "Rahasia-Kota-Blitar-2026"


def scope_of(role: str) -> Scope:
    return Scope(role, department="Dinas Perhubungan" if role == "opd" else None, user=f"u-{role}")


@pytest.fixture
def paths(tmp_path):
    return Paths(tmp_path / "data", DEFAULT_CONFIG_DIR)


@pytest.fixture(scope="module")
def model():
    return load_model(config_dir=DEFAULT_CONFIG_DIR)


def _add(paths, model, actor):
    return ev.add_evidence(paths, indicator_id="sk_tim_pengaduan", year=2025, doc_type="SK", title="SK Tim 2025",
                           doc_date="2025-01-06", recorded_by="admin", content=PDF, file_name="sk.pdf",
                           model=model, actor=actor)


def _expect(role: str, capability: str, call) -> None:
    if allowed(role, capability):
        call()
    else:
        with pytest.raises(CapabilityError) as err:
            call()
        assert CAPABILITY_LABELS[capability] in str(err.value) and ROLES[role] in str(err.value)


def test_one_table_and_the_scope_uses_it():
    assert ScopeError is CapabilityError
    for role, caps in CAPABILITIES.items():
        s = scope_of(role)
        assert {c for c in CAPABILITY_LABELS if s.can(c)} == set(caps)
    assert allowed("koordinator", "manage_users") and not allowed("pimpinan", "manage_users")
    assert not allowed("opd", "record_evidence") and not allowed("evaluator", "verify_evidence")
    require(None, "manage_users")  # the command-line operator
    with pytest.raises(CapabilityError):  # an actor whose role is not in the table may do nothing
        frame_to_csv_bytes([{"a": 1}], actor=type("Guest", (), {"role": "tamu"})())
    with pytest.raises(KeyError):
        require(None, "no_such_capability")


@pytest.mark.parametrize("role", list(ROLES))
def test_evidence_writes_check_the_role(paths, model, role):
    actor = scope_of(role)
    _expect(role, "record_evidence", lambda: _add(paths, model, actor))
    rec = _add(paths, model, None)  # recorded by the operator, to have something to verify
    _expect(role, "verify_evidence", lambda: ev.verify_evidence(paths, rec.evidence_id, by="x", actor=actor))
    rec2 = _add(paths, model, None)
    _expect(role, "verify_evidence",
            lambda: ev.reject_evidence(paths, rec2.evidence_id, by="x", reason="belum ditandatangani", actor=actor))
    # nothing was written by a refused call
    statuses = [r.status for r in ev.list_evidence(paths)]
    n_added = 1 if allowed(role, "record_evidence") else 0
    assert len(statuses) == 2 + n_added
    if not allowed(role, "verify_evidence"):
        assert set(statuses) == {"diajukan"}


@pytest.mark.parametrize("role", list(ROLES))
def test_user_administration_checks_the_role(paths, role):
    actor = scope_of(role)
    add_user(paths, "sekda", "pimpinan", PASSWORD)  # by the operator
    _expect(role, "manage_users", lambda: add_user(paths, f"baru{role}", "analis", PASSWORD, actor=actor))
    _expect(role, "manage_users", lambda: set_active(paths, "sekda", False, actor=actor))
    _expect(role, "manage_users", lambda: set_password(paths, "sekda", PASSWORD + "-baru", actor=actor))
    assert get_user(paths, "sekda").active == (not allowed(role, "manage_users"))


@pytest.mark.parametrize("role", list(ROLES))
def test_upload_and_build_check_the_role(paths, role, monkeypatch):
    actor = scope_of(role)
    _expect(role, "upload_data", lambda: save_upload(paths, b"a,b\n1,2\n", "lapor.csv", actor=actor))
    saved = list((paths.raw_dir / "unggahan").glob("*.csv")) if (paths.raw_dir / "unggahan").exists() else []
    assert len(saved) == (1 if allowed(role, "upload_data") else 0)
    started = []
    monkeypatch.setattr(jobs.subprocess, "Popen", lambda *a, **k: started.append(a) or _Proc())
    _expect(role, "upload_data", lambda: jobs.start(paths, "run", actor=actor))
    assert len(started) == (1 if allowed(role, "upload_data") else 0)
    jobs._JOBS.clear()


class _Proc:
    returncode = 0

    def poll(self):
        return 0


@pytest.mark.parametrize("role", list(ROLES))
def test_downloads_check_the_role(role):
    actor = scope_of(role)
    rows = [{"a": 1, "b": "=SUM(A1)"}]
    _expect(role, "download_data", lambda: frame_to_csv_bytes(rows, actor=actor))
    _expect(role, "download_data", lambda: frames_to_xlsx_bytes({"Data": rows}, actor=actor))


def test_save_upload_never_overwrites(paths):
    a = save_upload(paths, b"1", "x.csv")
    b = save_upload(paths, b"2", "x.csv")
    assert a != b and a.read_bytes() == b"1" and b.read_bytes() == b"2"
    assert a.parent == paths.raw_dir / "unggahan"
