"""Empty and error states: a clear message in Bahasa Indonesia, never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

log = logging.getLogger("monev.dashboard")


def known_errors() -> tuple[type[BaseException], ...]:
    """Errors whose message is written for users (Bahasa Indonesia, says what to do)."""
    from pipelines.auth.scope import ScopeError
    from pipelines.kpi import FilterError, KpiError
    from pipelines.masterdata import ConfigError
    from pipelines.periods import PeriodError
    from pipelines.province import ProvinceError
    from pipelines.scorecard import ScorecardError
    from pipelines.warehouse import WarehouseMissing

    return (KpiError, FilterError, ScopeError, PeriodError, WarehouseMissing, ConfigError, ScorecardError,
            ProvinceError)


def show_error(exc: BaseException) -> None:
    """Show an exception to the user: its own message when it is a known one, else a generic note
    (the details go to the server log)."""
    from pipelines.auth.scope import ScopeError

    if isinstance(exc, ScopeError):
        st.warning(str(exc), icon=":material/lock:")
    elif isinstance(exc, known_errors()):
        st.error(str(exc), icon=":material/error:")
    else:
        log.exception("dashboard error", exc_info=exc)
        st.error(
            "Bagian ini tidak dapat ditampilkan karena kesalahan tak terduga "
            f"({type(exc).__name__}). Halaman lain tetap dapat dipakai; bila berulang, laporkan ke admin "
            "Diskominfotik beserta waktu kejadiannya (rinciannya tercatat di log server).",
            icon=":material/error:",
        )


@contextmanager
def guarded() -> Iterator[None]:
    """Run a block of a page; an error shows a message in place of the block instead of breaking the page."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - shown to the user as a message
        show_error(exc)


def no_data(what: str = "Tidak ada pengaduan untuk periode dan filter ini.") -> None:
    st.info(f"{what} Ubah periode atau filter di panel kiri.", icon=":material/filter_alt_off:")
