"""Technical notes (commands, configuration files) for administrators only.

Users who are not admins never see repository paths or commands; an admin (a viewer who may upload
data) gets them in a collapsed "Untuk admin" section where a page needs them.
"""

from __future__ import annotations

import streamlit as st

from pipelines.auth.scope import Scope


def is_admin(scope: Scope) -> bool:
    return scope.can("upload_data")


def note(scope: Scope, text: str) -> None:
    """A collapsed "Untuk admin" section with ``text`` (Markdown), drawn only for admins."""
    if is_admin(scope):
        with st.expander("Untuk admin", icon=":material/admin_panel_settings:"):
            st.markdown(text)
