"""Who is looking at the dashboard, and what they may see and do.

A ``Scope`` travels with every data-access call (``dashboard.data``), which applies
it in the query: an ``opd`` viewer's complaint lists and breakdowns are limited to
its own department, while city-wide aggregates stay city-wide. Pages ask
``scope.can(...)`` rather than checking role names, so a role's rights live in one
table (``pipelines.capabilities.CAPABILITIES``); the functions that write check it again
themselves (``pipelines.capabilities.require``), whatever a page shows.

The five roles are those of issue 9, plus ``provinsi`` (issue 19). On a province installation
(docs/province.md) a Scope also carries ``pemda``: the Kemendagri code of the one pemda its viewer
belongs to, or ``None`` for a province-level viewer who sees every pemda. Every data-access function that
reads one pemda's warehouse calls ``scope.check_pemda(kode)`` first, so a pemda's user asking for another
pemda (by URL, filter or download) is refused in the data layer, whatever a page shows. Login (outside demo mode) sets
``st.session_state[SESSION_KEY]`` to the logged-in account's Scope; demo mode has
full access.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipelines.capabilities import (  # noqa: F401 - re-exported for the pages
    CAPABILITIES,
    CAPABILITY_LABELS,
    ROLES,
    CapabilityError,
    allowed,
    require,
)

SESSION_KEY = "auth.scope"

# the role and capability table lives with the check the writing functions call (pipelines.capabilities)
ScopeError = CapabilityError  # the viewer's scope does not allow this (message in Bahasa Indonesia)


@dataclass(frozen=True)
class Scope:
    """A viewer: role, the department of an ``opd`` viewer, display name, demo flag, and on a province
    installation the pemda the viewer belongs to (``None``: every pemda / a single-city installation)."""

    role: str
    department: str | None = None
    user: str | None = None
    demo: bool = False
    pemda: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"Peran '{self.role}' tidak dikenal; pilih salah satu: {', '.join(ROLES)}.")
        if self.role == "opd" and not self.department:
            raise ValueError("Peran 'opd' wajib disertai nama OPD-nya.")
        if self.role != "opd" and self.department:
            raise ValueError(f"Hanya peran 'opd' yang dibatasi pada satu OPD (bukan '{self.role}').")
        if self.pemda is not None:
            from pipelines.province import normalize_kode

            object.__setattr__(self, "pemda", normalize_kode(self.pemda))  # raises ProvinceError (ValueError)
            if self.role == "provinsi":
                raise ValueError("Peran 'provinsi' melihat semua pemda; jangan batasi pada satu pemda.")

    # ------------------------------------------------------------ constructors
    @classmethod
    def full(cls, *, demo: bool = False, user: str | None = None) -> Scope:
        """Full access (demo mode, or a coordinator)."""
        return cls("koordinator", user=user or ("Demo" if demo else None), demo=demo)

    # ------------------------------------------------------------ rights
    def can(self, capability: str) -> bool:
        return allowed(self.role, capability)

    def require(self, capability: str) -> None:
        require(self, capability)

    @property
    def restricted(self) -> bool:
        """True when the viewer sees only one department's rows."""
        return self.department is not None

    @property
    def label(self) -> str:
        who = ROLES[self.role] + (f" – {self.department}" if self.department else "")
        who += f" – pemda {self.pemda}" if self.pemda else ""
        if self.demo:
            return "Demo (akses penuh)" if self.role == "koordinator" else f"{who} (demo)"
        return who

    @property
    def province_wide(self) -> bool:
        """True when the viewer may compare pemda (province pages, province scorecard)."""
        return self.pemda is None and self.can("view_province")

    def sees_pemda(self, kode: object) -> bool:
        if self.pemda is None:
            return True
        from pipelines.province import ProvinceError, normalize_kode

        try:
            return normalize_kode(kode) == self.pemda
        except ProvinceError:
            return False

    def check_pemda(self, kode: object) -> None:
        """Refuse (ScopeError) unless this viewer may open pemda ``kode``; ``None`` is the single-city
        installation's own warehouse (a province viewer is never handed one without a code)."""
        if kode is None or self.sees_pemda(kode):
            return
        raise ScopeError(f"Akses Anda terbatas pada pemda {self.pemda}; data pemda {kode} tidak dapat dibuka.")

    def require_province(self) -> None:
        """Refuse (ScopeError) unless the viewer may compare pemda (province pages and scorecard)."""
        self.require("view_province")
        if self.pemda is not None:
            raise ScopeError(f"Akses Anda terbatas pada pemda {self.pemda}; perbandingan antar-pemda hanya untuk "
                             "pengguna tingkat provinsi.")

    def sees_department(self, department: str | None) -> bool:
        return not self.restricted or department == self.department

    # ------------------------------------------------------------ filters per kind of query
    def aggregate_filters(self, filters: Mapping[str, Any]) -> dict[str, Any]:
        """Filters for a city-level aggregate: an ``opd`` viewer may look at the whole city or at its own
        department, never at another department (a foreign department filter raises ScopeError)."""
        out = {k: v for k, v in filters.items() if v}
        if self.restricted and "department" in out:
            asked = _as_list(out["department"])
            foreign = [d for d in asked if d != self.department]
            if foreign:
                raise ScopeError(
                    f"Akses Anda terbatas pada {self.department}; data {', '.join(foreign)} tidak dapat dibuka."
                )
        return out

    def breakdown_filters(self, filters: Mapping[str, Any]) -> dict[str, Any]:
        """Filters for a breakdown or a list of rows: an ``opd`` viewer's are pinned to its department."""
        out = self.aggregate_filters(filters)
        if self.restricted:
            out["department"] = [self.department]
        return out

    list_filters = breakdown_filters

    def visible_rows(self, rows: Iterable[Mapping[str, Any]], key: str = "department") -> list[Any]:
        """The rows of a per-department breakdown this viewer may see."""
        return [r for r in rows if self.sees_department(r.get(key))]


def _as_list(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    return [str(x) for x in v]
