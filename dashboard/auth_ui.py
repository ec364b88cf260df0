"""Login, logout and audit for the dashboard (issue 9).

Outside demo mode the entry script calls ``gate()`` before anything else is drawn: without a valid
session it shows the login form and stops, so no page, navigation or number is reached. The session
is checked again on every rerun (``pipelines.auth.check_session``): idle or too old, a disabled
account or a changed password end it. The viewer's ``Scope`` (``SESSION_KEY``) is always taken from
the account of the session, never trusted from the session state alone.

Demo mode (``monev serve --demo``) has no login and full access, marked DEMO on every page.

``record(scope, action, detail)`` writes to the audit log from a page (uploads, builds, evidence
changes, scorecard downloads).
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from dashboard import data
from pipelines.auth.scope import ROLES, SESSION_KEY, Scope

TOKEN_KEY = "auth.token"
NOTICE_KEY = "auth.notice"
FORM_KEY = "auth.login"
log = logging.getLogger("monev.dashboard")


def _clear_session() -> None:
    for k in list(st.session_state.keys()):
        del st.session_state[k]


def gate(*, demo: bool) -> Scope | None:
    """The logged-in viewer's scope; in demo mode None (the caller decides). Without a valid session,
    draw the login form and stop the run."""
    if demo:
        return None
    from pipelines.auth import check_session

    paths = data.root_paths()
    token = st.session_state.get(TOKEN_KEY)
    if token:
        chk = check_session(paths, token)
        if chk.ok and chk.account is not None:
            scope = chk.account.scope()
            st.session_state[SESSION_KEY] = scope
            return scope
        _clear_session()
        st.session_state[NOTICE_KEY] = chk.message or "Sesi berakhir; silakan masuk kembali."
    else:
        st.session_state.pop(SESSION_KEY, None)  # a scope without a session is never trusted
    # the login form under every page address (a link to a page opens the form, then that page), hidden
    # navigation: it also replaces the menu of a session that just ended
    pages = [st.Page(login_form, title="Masuk", icon=":material/login:", default=True)]
    pages += [st.Page(login_form, title="Masuk", url_path=name) for name in page_names()]
    st.navigation(pages, position="hidden").run()
    st.stop()
    return None  # not reached


def page_names() -> list[str]:
    """The url paths of the dashboard's pages (``app_pages/<name>.py``)."""
    return sorted(p.stem for p in (Path(__file__).parent / "app_pages").glob("*.py") if not p.stem.startswith("_"))


def _city() -> str:
    try:
        prov = data.province()
        if prov is not None:
            return prov.name
        from pipelines.masterdata import load_master_data

        return str(load_master_data(data.root_paths().config_dir).city.get("name", ""))
    except Exception:  # noqa: BLE001
        return ""


def _submit() -> None:
    """The form's callback: check the name and password, open a session."""
    from pipelines.auth import login

    user = st.session_state.get("auth.user", "")
    pw = st.session_state.get("auth.password", "")
    st.session_state["auth.password"] = ""
    if not str(user).strip() or not pw:
        st.session_state[NOTICE_KEY] = "Isi nama pengguna dan kata sandi."
        return
    res = login(data.root_paths(), user, pw, client=_client())
    if res.ok and res.account is not None and res.token:
        st.session_state[TOKEN_KEY] = res.token
        st.session_state[SESSION_KEY] = res.account.scope()
        st.session_state.pop(NOTICE_KEY, None)
    else:
        st.session_state[NOTICE_KEY] = res.message


def _client() -> str:
    """The browser's address (behind the local reverse proxy: its X-Real-IP), for login throttling."""
    from pipelines.auth.throttle import client_address

    try:
        headers = dict(st.context.headers) if st.context.headers else None
        return client_address(st.context.ip_address, headers)
    except Exception:  # noqa: BLE001 - no browser connection (tests)
        return client_address(None)


def login_form() -> None:
    city = _city()
    _, mid, _ = st.columns([1, 2, 1])
    with mid:
        st.title("Masuk")
        st.caption(f"{city + ' · ' if city else ''}Monev Pengaduan: dasbor pemantauan pengelolaan pengaduan "
                   "masyarakat. Hanya untuk pengguna terdaftar.")
        notice = st.session_state.pop(NOTICE_KEY, None)
        if notice:
            st.error(notice, icon=":material/lock:")
        with st.form(FORM_KEY, border=True):
            st.text_input("Nama pengguna", key="auth.user", max_chars=80, autocomplete="username")
            st.text_input("Kata sandi", key="auth.password", type="password", max_chars=1024,
                          autocomplete="current-password")
            st.form_submit_button("Masuk", type="primary", icon=":material/login:", on_click=_submit,
                                  width="stretch")
        if not _has_accounts():
            st.info(
                "Belum ada akun. Admin membuat akun di server dengan "
                "`monev user add NAMA --role koordinator` (lihat docs/keamanan.md), atau coba dasbor dengan "
                "data rekaan: `monev serve --demo`.",
                icon=":material/info:",
            )


def _has_accounts() -> bool:
    try:
        from pipelines.auth import list_users

        return bool(list_users(data.root_paths()))
    except Exception:  # noqa: BLE001
        return True


def _logout() -> None:
    from pipelines.auth import logout

    token = st.session_state.get(TOKEN_KEY)
    try:
        logout(data.root_paths(), token)
    finally:
        _clear_session()
        st.session_state[NOTICE_KEY] = "Anda sudah keluar."


def sidebar_account(scope: Scope) -> None:
    """Who is logged in, and the logout button (not in demo mode)."""
    if scope.demo or not st.session_state.get(TOKEN_KEY):
        return
    with st.sidebar:
        st.caption(f"Masuk sebagai **{scope.user}** ({ROLES[scope.role]}"
                   + (f", {scope.department}" if scope.department else "")
                   + (f", pemda {scope.pemda}" if scope.pemda else "") + ")")
        st.button("Keluar", key="auth.logout", icon=":material/logout:", on_click=_logout, type="tertiary")


def record(scope: Scope, action: str, detail: object = None) -> None:
    """Write one audit entry for the viewer (an audit failure is logged and shown, never fatal)."""
    from pipelines.auth import audit

    user = scope.user or ("Demo" if scope.demo else "(tanpa nama)")
    try:
        audit(data.root_paths(), user, action, detail)
    except Exception as exc:  # noqa: BLE001
        log.exception("audit failed", exc_info=exc)
        st.toast("Catatan log audit gagal ditulis; beri tahu admin koordinator.", icon=":material/warning:")


def audited(scope: Scope | None, action: str, detail: str, make):
    """``make`` (a download's deferred data) wrapped so that producing the file writes an audit entry. The file
    is produced outside the script run (no session state there), so the user and data directory are taken now."""
    from pipelines.auth import audit

    paths = data.root_paths()
    user = (getattr(scope, "user", None) or ("Demo" if getattr(scope, "demo", False) else "(tanpa nama)"))

    def run():
        out = make()
        try:
            audit(paths, user, action, detail)
        except Exception as exc:  # noqa: BLE001 - an audit failure never blocks the download
            log.exception("audit failed", exc_info=exc)
        return out

    return run
