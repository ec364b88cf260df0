"""Scope on a province installation (issue 19): a pemda's viewer may open only its own pemda, a
province-level viewer every pemda; the province pages need ``view_province`` and no pemda."""

from __future__ import annotations

import pytest

from pipelines.auth.scope import Scope, ScopeError
from pipelines.capabilities import CAPABILITIES


def test_pemda_code_is_normalised_and_checked():
    s = Scope("pimpinan", pemda="3572")
    assert s.pemda == "35.72"
    assert s.sees_pemda("35.72") and s.sees_pemda(3572) and s.sees_pemda(" 35.72 ")
    assert not s.sees_pemda("35.71")
    assert not s.sees_pemda("bukan kode")
    s.check_pemda("35.72")
    s.check_pemda(None)  # a single-city warehouse has no code
    with pytest.raises(ScopeError, match="terbatas pada pemda 35.72; data pemda 35.71"):
        s.check_pemda("35.71")
    with pytest.raises(ValueError):
        Scope("pimpinan", pemda="35")


def test_province_role_sees_every_pemda_and_the_province():
    s = Scope("provinsi")
    assert s.province_wide
    for kode in ("35.72", "35.71", "35.05"):
        s.check_pemda(kode)
    s.require_province()
    assert "upload_data" not in CAPABILITIES["provinsi"]
    assert "view_complaints" not in CAPABILITIES["provinsi"]
    with pytest.raises(ValueError, match="semua pemda"):
        Scope("provinsi", pemda="35.72")


@pytest.mark.parametrize("role", ["pimpinan", "koordinator", "evaluator", "analis"])
def test_a_pemda_viewer_never_compares_pemda(role):
    own = Scope(role, pemda="35.72")
    assert not own.province_wide
    with pytest.raises(ScopeError, match="tingkat provinsi"):
        own.require_province()
    assert Scope(role).province_wide  # the same role at province level may


def test_opd_never_sees_the_province():
    s = Scope("opd", department="Dinas Kesehatan", pemda="35.72")
    assert not s.province_wide
    with pytest.raises(ScopeError):
        s.require_province()
    assert s.label.endswith("pemda 35.72")
