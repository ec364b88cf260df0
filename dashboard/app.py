"""Monev Pengaduan dashboard: the entry script (``monev serve`` runs ``streamlit run dashboard/app.py``).

It is the frame around every page: the viewer's scope, the published snapshot, the navigation (by
role), the global filters in the sidebar, the header, and the URL. The page that runs gets all of
that through ``dashboard.context``. With no warehouse yet, only the first-run page, the upload page
and the glossary are offered.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root
_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from dashboard import auth_ui, context, data, pages  # noqa: E402
from dashboard.components import header, sidebar, states, style  # noqa: E402
from dashboard.filters import windows as make_windows  # noqa: E402
from pipelines.auth.scope import SESSION_KEY, Scope  # noqa: E402

st.set_page_config(
    page_title="Monev Pengaduan",
    # a local image: a Material icon name makes the browser fetch the favicon from Google's font server
    page_icon=str(Path(__file__).with_name("favicon.png")),
    layout="wide",
    initial_sidebar_state="expanded",
)


def resolve_scope() -> Scope:
    """The viewer: outside demo mode the logged-in account (``auth_ui.gate`` shows the login form and
    stops without a valid session); demo mode has full access (or a scope put in the session, marked demo)."""
    demo = data.demo_mode()
    account = auth_ui.gate(demo=demo)
    if account is not None:
        return account
    s = st.session_state.get(SESSION_KEY)
    if isinstance(s, Scope):
        return s if s.demo else replace(s, demo=True)
    return Scope.full(demo=demo)


def _page(name: str, *, default: bool = False):
    spec = pages.BY_NAME[name]
    return st.Page(f"app_pages/{name}.py", title=spec.title, icon=spec.icon, url_path=name, default=default)


def _may_see(scope: Scope, spec: pages.PageSpec) -> bool:
    return spec.capability is None or scope.can(spec.capability)


def build_pages(scope: Scope, has_data: bool) -> tuple[dict[str, list], object | None]:
    """The navigation for this viewer (the registry in dashboard/pages.py, by capability);
    returns (sections, the Ringkasan page or None)."""
    if not has_data:
        start = _page("mulai", default=True)
        shown = [_page(p.name) for p in pages.PAGES if p.section and not p.needs_data and _may_see(scope, p)]
        return {"": [start, *shown]}, None
    ringkasan = _page("ringkasan", default=True)
    sections: dict[str, list] = {s: [] for s in pages.SECTIONS}
    for spec in pages.PAGES:
        if spec.section and _may_see(scope, spec):
            sections[spec.section].append(ringkasan if spec.name == "ringkasan" else _page(spec.name))
    return {k: v for k, v in sections.items() if v}, ringkasan


def main() -> None:
    scope = resolve_scope()
    snap = master = None
    try:
        snap = data.snapshot()
        if snap is not None:
            master = data.master(snap)
            sidebar.init_from_url(snap, master, data.resolver(snap))
    except Exception as exc:  # noqa: BLE001 - a broken warehouse: say so, keep the app up
        snap = master = None
        st.session_state["app.load_error"] = exc

    sections, ringkasan = build_pages(scope, snap is not None)
    wants_meeting = bool(st.session_state.get(sidebar.MEETING_KEY)) and snap is not None
    # expanded: every page listed (a collapsed menu says "View N more", in English)
    page = st.navigation(sections, position="hidden" if wants_meeting else "sidebar", expanded=True)
    meeting = wants_meeting and ringkasan is not None and page.title == ringkasan.title
    style.inject(meeting)

    uses_filters = page.url_path in pages.FILTER_PAGES or page.title == pages.TITLES["ringkasan"]
    filters = wins = model = None
    if snap is not None and master is not None:
        try:
            draw = uses_filters and not meeting
            filters = sidebar.render(snap, master, scope) if draw else sidebar.current(snap)
            wins = make_windows(filters, snap.as_of)
            from pipelines.rating import load_model

            model = load_model(config_dir=data.paths().config_dir)
        except Exception as exc:  # noqa: BLE001
            states.show_error(exc)
        if not meeting:
            st.sidebar.caption(f"Akses: {scope.label}")
    if not meeting:
        auth_ui.sidebar_account(scope)
    ctx = context.Context(scope, snap, master, filters, wins, model, meeting)
    context.put(ctx)

    city = snap.city if snap is not None else _city_from_config()
    header.render(ctx, city, show_period=uses_filters)
    err = st.session_state.pop("app.load_error", None)
    if err is not None:
        st.error(
            "Gudang data tidak dapat dibaca, jadi dasbor menampilkan halaman awal. Minta admin koordinator "
            "membangun ulang gudang data (halaman Unggah Data)."
            + (f" Rincian: {type(err).__name__}: {err}" if scope.can("upload_data") else ""),
            icon=":material/error:",
        )
    sidebar.show_notices()
    sidebar.clear_page_params()
    try:
        page.run()
    except Exception as exc:  # noqa: BLE001 - never a stack trace for the user
        states.show_error(exc)
    if filters is not None and snap is not None:
        sidebar.sync_url(filters, snap, meeting=meeting)


def _city_from_config() -> str:
    try:
        from pipelines.masterdata import load_master_data

        return str(load_master_data(data.paths().config_dir).city.get("name", ""))
    except Exception:  # noqa: BLE001
        return ""


main()
