"""What the entry script hands to the page it runs: viewer, snapshot, master data, filters, windows.

``app.py`` builds the Context once per run (after the sidebar) and stores it in the session; a page
calls ``context.get()``. Pages receive values, they do not read widgets of other pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from dashboard.filters import Filters, Window, Windows
from pipelines.auth.scope import Scope

if TYPE_CHECKING:
    from dashboard.data import Master, Snapshot
    from pipelines.rating.model import RatingModel

KEY = "app.context"


@dataclass(frozen=True)
class Context:
    scope: Scope
    snap: Snapshot | None
    master: Master | None
    filters: Filters | None
    windows: Windows | None
    model: RatingModel | None
    meeting: bool = False

    @property
    def current(self) -> Window:
        assert self.windows is not None
        return self.windows.current

    @property
    def comparison(self) -> Window | None:
        return self.windows.comparison if self.windows else None

    @property
    def as_of(self):
        assert self.snap is not None
        return self.snap.as_of

    def file_stub(self, name: str) -> str:
        """A download file name: what, which period, which snapshot (e.g. tren-bulanan_2026_20261122T0903)."""
        parts = [name]
        if self.filters is not None:
            parts.append(self.filters.period_key.replace("..", "_"))
        if self.snap is not None:
            parts.append(self.snap.snapshot_id.split("-")[0])
        return "_".join(parts)


def put(ctx: Context) -> None:
    st.session_state[KEY] = ctx


def get() -> Context:
    ctx = st.session_state.get(KEY)
    if ctx is None:  # a page run without the entry script (should not happen)
        st.error("Halaman ini dibuka tanpa aplikasi utama. Jalankan dasbor dengan `monev serve`.")
        st.stop()
    return ctx
