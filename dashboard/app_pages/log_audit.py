"""Log Audit (koordinator only): logins and failed logins, uploads, builds, evidence changes, scorecard
downloads and account changes, newest first, from the app-state store (``pipelines.auth.list_audit``)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import context, data
from dashboard.components import states, tables
from dashboard.components.tables import Col
from pipelines import fmt

ctx = context.get()
scope = ctx.scope

st.title("Log Audit")
if not scope.can("view_audit"):
    st.warning("Akses Anda tidak mencakup log audit.", icon=":material/lock:")
    st.stop()

from pipelines.auth import ACTIONS, list_audit, list_users  # noqa: E402

st.caption("Siapa melakukan apa, kapan: masuk dan gagal masuk, unggahan, pembangunan gudang data, perubahan bukti "
           "dukung, unduhan rapor, dan perubahan akun (`monev user`). Waktu menurut jam server. Log yang sama "
           "dapat dibaca di server dengan `monev audit`.")

paths = data.root_paths()  # the installation's log (a province's: its state/)
c1, c2, c3 = st.columns([2, 2, 1])
action = c1.selectbox("Aksi", [None, *ACTIONS], key="audit.action", format_func=lambda a: "Semua aksi" if a is None
                      else ACTIONS[a])
users = []
with states.guarded():
    users = [a.username for a in list_users(paths)]
user = c2.selectbox("Pengguna", [None, *users], key="audit.user", format_func=lambda u: "Semua pengguna" if u is None
                    else u, accept_new_options=True)
limit = c3.selectbox("Tampilkan", [100, 500, 2000], key="audit.limit", format_func=lambda n: f"{fmt.number(n)} terbaru")

entries = []
with states.guarded():
    entries = list_audit(paths, limit=int(limit), user=user or None, action=action)

if not entries:
    st.info("Belum ada entri untuk pilihan ini.", icon=":material/history:")
    st.stop()

df = pl.DataFrame(
    [{"at": dt.datetime.fromisoformat(e.at), "username": e.username, "action": e.action_label,
      "detail": e.detail, "source": e.source} for e in entries],
    schema={"at": pl.Datetime, "username": pl.String, "action": pl.String, "detail": pl.String, "source": pl.String},
)
failed = sum(1 for e in entries if e.action in ("login_failed", "login_locked"))
m1, m2 = st.columns(2)
m1.metric("Entri ditampilkan", fmt.number(len(entries)))
m2.metric("Gagal masuk / terkunci", fmt.number(failed),
          help="Percobaan masuk yang gagal atau ditolak karena akun terkunci, di antara entri yang ditampilkan.")
cols = [Col("at", "Waktu", "datetime"), Col("username", "Pengguna"), Col("action", "Aksi"),
        Col("detail", "Rincian", width="large"), Col("source", "Sumber")]
tables.show(df, cols, key="audit.table", height=tables.fit_height(df.height, 600))
tables.downloads(df, cols, file_stub=f"log-audit_{dt.date.today():%Y%m%d}", key="audit.dl", sheet="Log audit")
