"""The officers' register (pejabat penghubung / admin penghubung OPD, issue 18).

Per OPD the liaison officer named in the Walikota's decree (SK): name, position, e-mail, WhatsApp
number, SK number and date. Kept in the app-state store (``pipelines.state``) like accounts; managed
by the koordinator (dashboard page "Pejabat Penghubung", ``monev pejabat ...``).

Contact data is personal data: it stays in the state store, is shown only to the koordinator and is
exported only as the register itself. The warehouse gets only the fact per OPD "has an officer" and
"has a current SK" (``pipelines.officers.facts``), which the rating reads.
"""

from pipelines.officers.register import (
    SK_VALID_YEARS,
    Officer,
    OfficerError,
    RegisterFlag,
    add_officer,
    get_officer,
    list_officers,
    register_flags,
    remove_officer,
    sk_is_current,
    update_officer,
)

__all__ = [
    "SK_VALID_YEARS", "Officer", "OfficerError", "RegisterFlag", "add_officer", "get_officer", "list_officers",
    "register_flags", "remove_officer", "sk_is_current", "update_officer",
]
