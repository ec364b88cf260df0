"""Access control for the dashboard (issue 9): accounts with argon2 password hashes, login with
lock-out, sessions that expire, the audit log, and safe upload names.

Everything is kept in the app-state store (``pipelines.state``). ``monev user ...`` manages accounts,
``monev audit`` shows the log; the dashboard's login lives in ``dashboard/auth_ui.py``.
"""

from pipelines.auth.accounts import (
    Account,
    AuthError,
    LoginResult,
    SessionCheck,
    add_user,
    check_session,
    get_user,
    list_users,
    lock_status,
    login,
    logout,
    resolve_department,
    set_active,
    set_password,
)
from pipelines.auth.audit import ACTIONS, AuditEntry, audit, list_audit
from pipelines.auth.store import AuthSettings

__all__ = [
    "ACTIONS", "Account", "AuditEntry", "AuthError", "AuthSettings", "LoginResult", "SessionCheck", "add_user",
    "audit", "check_session", "get_user", "list_audit", "list_users", "lock_status", "login", "logout",
    "resolve_department", "set_active", "set_password",
]
