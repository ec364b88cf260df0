"""Unduh Rapor: every scorecard of one period in one ZIP (the city's and each OPD's, PDF and/or XLSX,
with the index CSV), as ``monev scorecard --all`` makes them. An ``opd`` viewer gets its own OPD's and
the city's only (``dashboard.data.scorecard_zip`` enforces it)."""

from __future__ import annotations

import streamlit as st

from dashboard import auth_ui, context, data
from dashboard.components import admin, states
from dashboard.components.sidebar import _period_label
from dashboard.filters import COMPARISONS, PERIOD_KINDS, default_period, period_options
from pipelines import fmt
from pipelines.periods import PeriodError, parse_period

KIND_KEY = "rapor.kind"
PERIOD_KEY = "rapor.period"
CMP_KEY = "rapor.cmp"
FORMATS_KEY = "rapor.formats"
ZIP_KEY = "rapor.zip"
FORMAT_LABELS = {"pdf": "PDF", "xlsx": "Excel (XLSX)"}
KINDS = [k for k in PERIOD_KINDS if k != "kustom"]

ctx = context.get()
scope, snap = ctx.scope, ctx.snap

st.title("Unduh Rapor")


def _province_section() -> None:
    """Rapor Provinsi for a province-wide viewer on a province installation (pipelines.scorecard.province;
    the function checks the viewer again itself). A pemda's viewer keeps its own pemda's city scorecard below."""
    from pipelines.province import load_province
    from pipelines.scorecard.province import available_years, file_name, province_scorecard
    from pipelines.settings import Paths

    try:
        prov = load_province(Paths.from_args())  # the installation root (provinsi.yaml), not the pemda viewed
    except ValueError:
        return
    if prov is None or not scope.province_wide or not scope.can("download_scorecard"):
        return
    st.subheader("Rapor Provinsi")
    years = available_years(prov)
    if not years:
        st.info("Belum ada pemda dengan gudang data terbit.", icon=":material/info:")
        return
    st.markdown(f"Peringkat {len(prov.pemda)} pemda {prov.name} pada KPI yang sama (satu aturan, sampel minimum "
                "yang sama), pemda dengan data tidak cukup, dan tren bulanan berdampingan. Hanya angka agregat.")
    c1, c2 = st.columns([1, 2])
    with c1:
        year = st.selectbox("Tahun", years, key="rapor.prov.year")
    period = parse_period(str(year))
    held = st.session_state.get("rapor.prov")
    fresh = held is None or held.get("id") != (prov.data_dir, year)
    if fresh and st.button("Buat Rapor Provinsi", type="primary", icon=":material/leaderboard:", key="rapor.prov.make"):
        blobs = None
        with states.guarded(), st.spinner("Menyusun rapor provinsi ..."):
            blobs = {f: province_scorecard(prov, date_from=period.start, date_to=period.end, fmt=f, actor=scope)
                     for f in ("pdf", "xlsx")}
        if blobs is not None:
            st.session_state["rapor.prov"] = held = {"id": (prov.data_dir, year), "blobs": blobs}
    if held is not None and held.get("id") == (prov.data_dir, year):
        with c2:
            for f, mime in (("pdf", "application/pdf"),
                            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
                name = file_name(prov.name, period, f)
                st.download_button(f"Unduh Rapor Provinsi ({FORMAT_LABELS[f]})", held["blobs"][f], file_name=name,
                                   mime=mime, key=f"rapor.prov.{f}", icon=":material/download:",
                                   on_click=auth_ui.record, args=(scope, "scorecard_download", name))
    st.divider()


_province_section()
if snap is None:
    st.stop()
if not scope.can("download_scorecard"):
    st.info("Akses Anda tidak mencakup unduhan rapor.", icon=":material/lock:")
    st.stop()

deps: list[str] = []
with states.guarded():
    deps = data.scorecard_departments(scope, snap)
st.markdown(
    "Rapor kinerja pengelolaan pengaduan untuk satu periode: rapor kota dan "
    + (f"rapor **{scope.department}** (akses Anda terbatas pada OPD ini)." if scope.restricted
       else f"rapor setiap OPD ({fmt.number(len(deps))} OPD).")
    + " Semua berkas dalam satu ZIP beserta indeksnya (indeks_rapor.csv). Filter kategori, kanal dan "
      "wilayah tidak berlaku untuk rapor."
)
admin.note(scope, "Isi ZIP sama dengan `monev scorecard --all` di server.")

# the dashboard's period and comparison are the starting point
first, as_of = snap.first_date, snap.as_of
start_key = ctx.filters.period_key if ctx.filters is not None else default_period("tahun", first, as_of)
try:
    start = parse_period(start_key)
except PeriodError:
    start = parse_period(default_period("tahun", first, as_of))
if st.session_state.get(KIND_KEY) not in KINDS:
    st.session_state[KIND_KEY] = start.kind if start.kind in KINDS else "tahun"
if ctx.filters is not None and st.session_state.get(CMP_KEY) not in COMPARISONS:
    st.session_state[CMP_KEY] = ctx.filters.comparison

c1, c2, c3 = st.columns([1, 1.4, 1.6], vertical_alignment="top")
with c1:
    kind = st.selectbox("Jenis periode", KINDS, format_func=PERIOD_KINDS.get, key=KIND_KEY)
options = period_options(kind, first, as_of)
if st.session_state.get(PERIOD_KEY) not in options:
    st.session_state[PERIOD_KEY] = start.key if start.key in options else default_period(kind, first, as_of)
with c2:
    period_key = st.selectbox("Periode", options, key=PERIOD_KEY, format_func=_period_label(as_of),
                              help=f"Data tersedia {fmt.date_long(first)} – {fmt.date_long(as_of)}.")
with c3:
    comparison = st.radio("Kolom pembanding", list(COMPARISONS), format_func=COMPARISONS.get, key=CMP_KEY)
formats = st.pills("Format", list(FORMAT_LABELS), format_func=FORMAT_LABELS.get, selection_mode="multi",
                   default=list(FORMAT_LABELS), key=FORMATS_KEY)
formats = [f for f in FORMAT_LABELS if f in (formats or [])]

units = 1 + len(deps)
request = (snap.token, period_key, comparison, tuple(formats), tuple(deps))
held = st.session_state.get(ZIP_KEY)
ready = held is not None and held.get("id") == request

if not formats:
    st.info("Pilih paling sedikit satu format.", icon=":material/info:")
elif not ready:
    secs = units * (1.2 if "pdf" in formats else 0.5)  # measured on the demo (2 shared cores)
    took = "kurang dari satu menit" if secs < 60 else f"sekitar {fmt.number(round(secs / 60))} menit"
    st.caption(f"{fmt.number(units)} rapor × {len(formats)} format = {fmt.number(units * len(formats))} berkas; "
               f"pembuatan memakan waktu {took}. Halaman ini menunggu sampai selesai.")
    if st.button("Buat ZIP", type="primary", icon=":material/folder_zip:", key="rapor.make"):
        bar = st.progress(0.0, text="Menyiapkan data kota ...")
        done = {"n": 0}

        def _on_unit(name: str) -> None:
            done["n"] += 1
            bar.progress(min(done["n"] / units, 1.0), text=f"Rapor {done['n']} dari {units}: {name}")

        blob = None
        with states.guarded():
            blob = data.scorecard_zip(scope, snap, period_key, comparison, tuple(formats), on_unit=_on_unit)
        bar.empty()
        if blob is not None:
            st.session_state[ZIP_KEY] = {"id": request, "blob": blob}
            ready = True

if ready and formats:
    blob = st.session_state[ZIP_KEY]["blob"]
    label = parse_period(period_key).label
    st.success(f"ZIP siap: {fmt.number(units * len(formats))} berkas rapor {label} "
               f"({fmt.number(len(blob) / 1_048_576, 1)} MB).", icon=":material/check_circle:")
    stub = period_key.replace("..", "_")
    zip_name = f"rapor_{stub}_{snap.snapshot_id.split('-')[0]}.zip"
    st.download_button("Unduh ZIP", blob, file_name=zip_name,
                       mime="application/zip", key="rapor.download", icon=":material/download:",
                       type="primary", on_click=auth_ui.record, args=(scope, "scorecard_download", zip_name))
    st.caption(f"Data per {fmt.date_long(as_of)}; versi data {fmt.datetime_long(snap.built_at)}.",
               help=f"Nomor snapshot gudang data: {snap.snapshot_id}")
