"""Pejabat Penghubung (koordinator only): the officers' register (name, position, e-mail, WhatsApp, SK number
and date per OPD), the OPD without an officer or with an SK older than a year, and adding, changing and
removing officers. Contact data is personal data: this page and its register download are the only places
it is shown."""

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

st.title("Pejabat Penghubung")
if not scope.can("manage_officers"):
    st.warning("Akses Anda tidak mencakup register pejabat penghubung.", icon=":material/lock:")
    st.stop()

from pipelines.officers import SK_VALID_YEARS, OfficerError, add_officer, remove_officer, update_officer  # noqa: E402

paths = data.paths()
who = scope.user or ("Demo" if scope.demo else "Pengguna dasbor")
today = dt.date.today()
st.caption(f"Pejabat penghubung setiap OPD ditetapkan dengan SK Wali Kota dan diperbarui setiap tahun. OPD tanpa "
           f"pejabat atau dengan SK lebih dari {SK_VALID_YEARS} tahun ditandai; daftar kerja mingguan (`monev digest`) "
           "dikirim ke e-mail di register ini. Kontak adalah data pribadi: hanya tampil di halaman ini.")

# ---------------------------------------------------------------- flags
flags = []
with states.guarded():
    flags = data.register_flags(scope, ctx.snap, today)
bad = [f for f in flags if f.flagged]
st.subheader(f"Status register per {fmt.date_long(today)}")
c1, c2, c3 = st.columns(3)
c1.metric("OPD dengan SK berlaku", fmt.number(len(flags) - len(bad)), help="Minimal satu pejabat dengan SK ≤ 1 tahun.")
c2.metric("Tanpa pejabat penghubung", fmt.number(sum(f.flag == "tanpa_pejabat" for f in flags)))
c3.metric(f"SK lebih dari {SK_VALID_YEARS} tahun", fmt.number(sum(f.flag == "sk_kedaluwarsa" for f in flags)))
FLAG_LABELS = {"tanpa_pejabat": "Tanpa pejabat", "sk_kedaluwarsa": "SK kedaluwarsa"}
if bad:
    st.warning(f"{fmt.number(len(bad))} OPD perlu ditindaklanjuti.", icon=":material/badge:")
    bad.sort(key=lambda f: (f.flag != "sk_kedaluwarsa", f.department))  # an SK to renew first: someone to ask
    fdf = pl.DataFrame([{"department": f.department, "flag": FLAG_LABELS[f.flag], "officers": f.officers,
                         "latest": fmt.date_long(f.latest_sk_date) if f.latest_sk_date else fmt.EMPTY,
                         "message": f.message} for f in bad],
                       schema={"department": pl.String, "flag": pl.String, "officers": pl.Int64, "latest": pl.String,
                               "message": pl.String})
    tables.show(fdf, [Col("department", "OPD", width="large"), Col("flag", "Tanda"),
                      Col("officers", "Pejabat", "int"), Col("latest", "SK terakhir"),
                      Col("message", "Catatan", width="large")], key="pp.flags",
                height=tables.fit_height(fdf.height, 380))
else:
    st.success("Setiap OPD punya pejabat penghubung dengan SK yang berlaku.", icon=":material/check_circle:")

# ---------------------------------------------------------------- register
officers = []
with states.guarded():
    officers = data.officers(scope)
st.subheader(f"Register ({fmt.number(len(officers))} pejabat)")
REG_COLS = [Col("label", "No."), Col("department", "OPD", width="medium"), Col("name", "Nama"),
            Col("position", "Jabatan"), Col("email", "E-mail"), Col("whatsapp", "WhatsApp"),
            Col("sk_number", "Nomor SK"), Col("sk_date", "Tanggal SK", "date")]
if officers:
    reg = pl.DataFrame([{**o.to_dict(), "sk_date": o.sk_date} for o in officers]).select([c.field for c in REG_COLS])
    tables.show(reg, REG_COLS, key="pp.reg", height=tables.fit_height(reg.height, 420))
    tables.downloads(reg, REG_COLS, file_stub=f"register-pejabat-penghubung_{today.isoformat()}", key="pp.reg.dl",
                     sheet="Pejabat penghubung")
    st.caption("Unduhan register berisi data pribadi: simpan dan bagikan hanya untuk keperluan dinas.")
else:
    st.info("Register masih kosong. Tambahkan pejabat penghubung di bawah ini atau dengan `monev pejabat add`.",
            icon=":material/person_add:")

departments = list(ctx.master.departments) if ctx.master else [f.department for f in flags]


def _form(key: str, o=None) -> dict | None:
    """The officer form (empty to add, filled to change); returns the values when submitted."""
    with st.form(key, clear_on_submit=o is None, border=True):
        a, b = st.columns(2)
        dep = a.selectbox("OPD", departments, key=f"{key}.dep",
                          index=departments.index(o.department) if o and o.department in departments else 0)
        name = a.text_input("Nama", value=o.name if o else "", max_chars=120, key=f"{key}.name")
        position = a.text_input("Jabatan", value=o.position if o else "", max_chars=160, key=f"{key}.pos")
        email = b.text_input("E-mail", value=(o.email or "") if o else "", max_chars=254, key=f"{key}.email")
        wa = b.text_input("WhatsApp", value=(o.whatsapp or "") if o else "", max_chars=30, key=f"{key}.wa",
                          placeholder="0812-3456-7890")
        sk_no = b.text_input("Nomor SK", value=o.sk_number if o else "", max_chars=120, key=f"{key}.skno")
        sk_date = b.date_input("Tanggal SK", value=o.sk_date if o else today, max_value=today, format="DD/MM/YYYY",
                               key=f"{key}.skdate")
        if not st.form_submit_button("Simpan", type="primary", icon=":material/save:"):
            return None
    return {"department": dep, "name": name, "position": position, "email": email, "whatsapp": wa,
            "sk_number": sk_no, "sk_date": sk_date}


def _done(text: str) -> None:
    st.session_state["pp.notice"] = text
    st.rerun()


st.subheader("Tambah pejabat penghubung")
values = _form("pp.add")
if values is not None:
    try:
        o = add_officer(paths, values.pop("department"), by=who, actor=scope, **values)
        _done(f"{o.label} ({o.department}) dicatat.")
    except OfficerError as exc:
        st.error(str(exc), icon=":material/error:")

if officers:
    st.subheader("Ubah atau hapus")
    by_id = {o.officer_id: o for o in officers}
    oid = st.selectbox("Pejabat", list(by_id), key="pp.pick",
                       format_func=lambda i: f"{by_id[i].label} · {by_id[i].department} · {by_id[i].name}")
    chosen = by_id[oid]
    values = _form(f"pp.edit.{oid}", chosen)
    if values is not None:
        try:
            update_officer(paths, oid, by=who, actor=scope, **values)
            _done(f"{chosen.label} diubah.")
        except OfficerError as exc:
            st.error(str(exc), icon=":material/error:")
    if st.button(f"Hapus {chosen.label} dari register", key=f"pp.remove.{oid}", icon=":material/delete:"):
        remove_officer(paths, oid, by=who, actor=scope)
        _done(f"{chosen.label} ({chosen.department}) dihapus dari register.")

notice = st.session_state.pop("pp.notice", None)
if notice:
    st.toast(notice, icon=":material/check_circle:")
