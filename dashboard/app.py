"""Monev Pengaduan dashboard: the entry script (``monev serve`` runs ``streamlit run dashboard/app.py``).

It is the frame around every page: the viewer's scope, the published snapshot, the navigation (by
role), the global filters in the sidebar, the header, and the URL. The page that runs gets all of
that through ``dashboard.context``. With no warehouse yet, only the first-run page, the upload page
and the glossary are offered.

On a province installation (``provinsi.yaml``, docs/province.md) the pemda being viewed comes first:
``?pemda=35.71`` or the sidebar's pemda selector opens today's pages on that pemda's warehouse and
configuration (``data.activate``, scope checked first); a province-level viewer also gets the province
pages (Peringkat Pemda, Tren Pemda). A pemda's own viewer lands on its pemda's pages, never sees the
province pages or another pemda, and a link to another pemda is refused with a message and no data.
"""

from __future__ import annotations

import re
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
from pipelines.auth.scope import SESSION_KEY, Scope, ScopeError  # noqa: E402

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


GOTO_KEY = pages.GOTO_KEY  # a page to switch to once the navigation is built (the pemda selector, a drill-down)
PEMDA_WIDGET = "app.pemda_choice"
SEEN_KEY = "app.pemda_seen"  # the pemda of the previous run (its filters are reset when it changes)


def _page(name: str, *, default: bool = False):
    spec = pages.BY_NAME[name]
    return st.Page(f"app_pages/{name}.py", title=spec.title, icon=spec.icon, url_path=name, default=default)


def _may_see(scope: Scope, spec: pages.PageSpec, province: bool = False) -> bool:
    if spec.province:  # province pages: a province installation, a viewer who sees every pemda
        return province and scope.province_wide
    if province and spec.name == "log_audit" and not scope.province_wide:
        return False  # the province's one audit log names every pemda's users
    return spec.capability is None or scope.can(spec.capability)


def build_pages(scope: Scope, has_data: bool, *, province: bool = False,
                pemda: str | None = None) -> tuple[dict[str, list], object | None]:
    """The navigation for this viewer (the registry in dashboard/pages.py, by capability);
    returns (sections, the Ringkasan page or None). ``province``: a province installation, ``pemda``: the
    pemda being viewed (None: only the province pages)."""
    top: list = []
    if province and scope.province_wide:
        top = [_page(p.name, default=(i == 0 and pemda is None)) for i, p in enumerate(
            s for s in pages.PAGES if s.province)]
        if pemda is None:
            rest = [_page(p.name) for p in pages.PAGES if p.section and not p.province and not p.needs_data
                    and p.name != "unggah_data" and _may_see(scope, p, True)]
            return {"Provinsi": top, "Bantuan": rest}, None
    if not has_data:
        start = _page("mulai", default=True)
        shown = [_page(p.name) for p in pages.PAGES
                 if p.section and not p.province and not p.needs_data and _may_see(scope, p, province)]
        return ({"Provinsi": top} if top else {}) | {"": [start, *shown]}, None
    ringkasan = _page("ringkasan", default=True)
    sections: dict[str, list] = {s: [] for s in pages.SECTIONS}
    sections["Provinsi"] = top
    for spec in pages.PAGES:
        if spec.section and not spec.province and _may_see(scope, spec, province):
            sections[spec.section].append(ringkasan if spec.name == "ringkasan" else _page(spec.name))
    return {k: v for k, v in sections.items() if v}, ringkasan


def _refuse(scope: Scope, exc: Exception) -> None:
    """A link to a pemda this viewer may not open: say so, show no data, offer the viewer's own pemda.
    The refusal stands under every page address (like the login form), with the menu hidden."""
    message = (f"{exc} Tautan ini menunjuk pemda lain. Buka data pemda Anda sendiri dengan tombol di bawah, atau "
               "minta tautan yang benar kepada pengirimnya.")

    def refusal() -> None:
        style.inject(False)
        st.title("Akses ditolak")
        st.error(message, icon=":material/block:")
        st.button(f"Buka data pemda {scope.pemda}", icon=":material/home:", type="primary", key="app.own_pemda",
                  on_click=st.query_params.clear)
        auth_ui.sidebar_account(scope)

    shown = [st.Page(refusal, title="Akses ditolak", icon=":material/block:", default=True)]
    shown += [st.Page(refusal, title="Akses ditolak", url_path=name) for name in auth_ui.page_names()]
    st.navigation(shown, position="hidden").run()
    st.stop()


def resolve_pemda(scope: Scope, province) -> str | None:
    """The pemda this run shows (None: the province pages): the URL's ``?pemda=``, else the session's
    choice, else (a pemda's viewer) its own pemda. Scope checked first (``data.activate``); a pemda the
    viewer may not open stops the run with a refusal, an unknown code is a notice."""
    from pipelines.province import ProvinceError

    asked = st.query_params.get("pemda")
    if asked and not re.fullmatch(r"\s*\d{2}\.?\d{2}\s*", asked):  # never echo a link's free text
        st.session_state.setdefault(sidebar.NOTICES, []).append(
            "Parameter 'pemda' pada tautan bukan kode pemda (mis. 35.72), jadi diabaikan.")
        asked = None
    want = asked or st.session_state.get(data.ACTIVE_KEY) or scope.pemda
    try:
        kode = data.activate(scope, want) if want else data.activate(scope, None)
    except ScopeError as exc:
        data.activate(scope, None)
        _refuse(scope, exc)
        return None  # not reached
    except ProvinceError as exc:
        st.session_state.setdefault(sidebar.NOTICES, []).append(f"Tautan pemda diabaikan: {exc}")
        kode = data.activate(scope, scope.pemda)
    if st.session_state.get(SEEN_KEY, kode) != kode:  # another pemda: its own master data, so fresh filters
        sidebar.reset_state()
    st.session_state[SEEN_KEY] = kode
    return kode


def _choose_pemda(scope: Scope) -> None:
    """The selector's callback: open the chosen pemda's Ringkasan, or the province ranking."""
    kode = st.session_state.get(PEMDA_WIDGET) or None  # "" = every pemda (the province pages)
    st.query_params.pop("pemda", None)
    data.activate(scope, kode)
    st.session_state[GOTO_KEY] = "ringkasan" if kode else "provinsi_peringkat"


def pemda_selector(scope: Scope, province, kode: str | None) -> None:
    """Province-level viewers: which pemda the pages show. A pemda's viewer sees its own pemda's name only."""
    from dashboard import province_data

    if not scope.province_wide:
        p = province.get(kode) if kode else None
        if p is not None:
            st.sidebar.caption(f"Pemda: **{p.name}** ({p.kode})")
        return
    choices = province_data.pemda_choices(scope)
    names = dict(choices)
    st.session_state[PEMDA_WIDGET] = kode or ""  # "" rather than None: a None value shows an English placeholder
    st.sidebar.selectbox(
        "Pemda", ["", *names], key=PEMDA_WIDGET, on_change=_choose_pemda, args=(scope,),
        format_func=lambda k: f"Semua pemda ({province.name})" if not k else f"{names[k]} ({k})",
        help="Pilih satu pemda untuk membuka halaman-halamannya (Ringkasan, Kinerja OPD, …) dengan data dan "
             "konfigurasi pemda itu; 'Semua pemda' membuka halaman provinsi.",
    )


def main() -> None:
    scope = resolve_scope()
    province = kode = None
    try:
        province = data.province()
    except Exception as exc:  # noqa: BLE001 - a broken provinsi.yaml: say what to fix, no traceback
        st.title("Instalasi provinsi tidak dapat dibaca")
        states.show_error(exc)
        st.stop()
    if province is not None:
        kode = resolve_pemda(scope, province)
    snap = master = None
    try:
        snap = data.snapshot()
        if snap is not None:
            master = data.master(snap)
            sidebar.init_from_url(snap, master, data.resolver(snap))
    except Exception as exc:  # noqa: BLE001 - a broken warehouse: say so, keep the app up
        snap = master = None
        st.session_state["app.load_error"] = exc

    sections, ringkasan = build_pages(scope, snap is not None, province=province is not None, pemda=kode)
    wants_meeting = bool(st.session_state.get(sidebar.MEETING_KEY)) and snap is not None
    # expanded: every page listed (a collapsed menu says "View N more", in English)
    page = st.navigation(sections, position="hidden" if wants_meeting else "sidebar", expanded=True)
    goto = st.session_state.pop(GOTO_KEY, None)
    if goto:
        target = next((p for ps in sections.values() for p in ps if p.url_path == goto or (
            goto == "ringkasan" and p is ringkasan)), None)
        if target is not None and target.title != page.title:
            st.switch_page(target)
    meeting = wants_meeting and ringkasan is not None and page.title == ringkasan.title
    style.inject(meeting)
    on_province_page = page.title in {pages.TITLES[n] for n in pages.PROVINCE_PAGES}
    if province is not None and not meeting:
        pemda_selector(scope, province, kode)
    if on_province_page:  # the province pages read no pemda's snapshot or filters
        snap = master = None

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
    if province is not None and (on_province_page or kode is None):
        city = province.name
    header.render(ctx, city, show_period=uses_filters,
                  note="Data per tanggal masing-masing pemda" if on_province_page else None)
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
    if kode is not None:
        sidebar.set_page_param("pemda", kode)  # a copied link opens the same pemda
    try:
        page.run()
    except Exception as exc:  # noqa: BLE001 - never a stack trace for the user
        states.show_error(exc)
    if filters is not None and snap is not None:
        sidebar.sync_url(filters, snap, meeting=meeting)


def _city_from_config() -> str:
    try:
        prov = data.province()
        if prov is not None and data.active_pemda() is None:
            return prov.name
        from pipelines.masterdata import load_master_data

        return str(load_master_data(data.paths().config_dir).city.get("name", ""))
    except Exception:  # noqa: BLE001
        return ""


main()
