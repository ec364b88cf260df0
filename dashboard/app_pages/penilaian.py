"""Penilaian Kemendagri: the estimated rating, its dimensions and indicators with their inputs, the
evidence completeness, and what it takes to reach the next band. Always marked as a model estimate."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import context, data
from dashboard.components import charts, states, tables
from dashboard.components.style import band_background, band_colour
from dashboard.components.tables import Col
from pipelines import fmt

ctx = context.get()
scope, snap = ctx.scope, ctx.snap
YEAR_KEY = "penilaian.year"
TARGET_KEY = "penilaian.target"

st.title("Penilaian Kemendagri")
if snap is None:
    st.stop()

years = list(range(snap.as_of.year, snap.first_date.year - 1, -1))
default_year = ctx.filters.period.end.year if ctx.filters else snap.as_of.year
if st.session_state.get(YEAR_KEY) not in years:
    st.session_state[YEAR_KEY] = default_year if default_year in years else years[0]
year = st.columns([1, 4])[0].selectbox("Tahun penilaian", years, key=YEAR_KEY,
                    help="Indikator data memakai pengaduan tahun itu sampai tanggal data; bukti dukung dicatat "
                         "per tahun penilaian. Filter OPD/kategori/kanal tidak berlaku: penilaian selalu untuk "
                         "seluruh kota.")

result = None
with states.guarded():
    result = data.city_rating(scope, snap, year)
if result is None:
    st.stop()

st.warning(f"**{result.disclaimer}.** Bobot, indikator dan ambang predikat Kemendagri tidak dipublikasikan; angka "
           f"ini dari model yang dapat diubah ({result.model.get('name')}, versi {result.model.get('version')}). "
           "Cara kerja model: halaman Glosarium.", icon=":material/info:")
for note in result.notes:
    st.info(note, icon=":material/description:")

# ---------------------------------------------------------------- headline
period = result.period
left, right = st.columns([1, 2], gap="large")
with left:
    pred = result.predikat
    colour = band_colour(pred if result.assessed else None)
    bg = band_background(pred if result.assessed else None)
    total = fmt.number(result.total, 1)
    st.markdown(
        f"<div style='border-left:10px solid {colour};background:{bg};border-radius:0.6rem;padding:0.9rem 1.1rem'>"
        f"<div style='font-size:1rem;color:#33414F;font-weight:600'>Estimasi predikat {year}</div>"
        f"<div style='font-size:{2.6 if result.assessed else 1.9}rem;font-weight:800;color:{colour};"
        f"line-height:1.15'>{pred}</div>"
        f"<div style='font-size:1.2rem;color:#1B2733'>Nilai {total} dari 100</div>"
        f"<div style='font-size:0.85rem;color:#5B6B7B;margin-top:0.3rem'>Data {fmt.date_long(period.get('from'))} – "
        f"{fmt.date_long(period.get('to'))}, per {fmt.date_long(period.get('as_of'))}</div></div>",
        unsafe_allow_html=True,
    )
    if not result.assessed:
        st.caption(f"'Tidak dinilai': belum ada bukti dukung terverifikasi untuk {year}. Nilai estimasi tetap "
                   "ditampilkan.")
with right, states.guarded():
    dims = pl.DataFrame([
        {"dimension": d.label, "weight": d.weight, "score": d.score, "points": d.points, "max_points": d.max_points}
        for d in result.dimensions
    ], schema={"dimension": pl.String, "weight": pl.Float64, "score": pl.Float64, "points": pl.Float64,
               "max_points": pl.Float64})
    fig = go.Figure()
    fig.add_trace(go.Bar(y=dims["dimension"].to_list(), x=dims["max_points"].to_list(), orientation="h",
                         name="Poin maksimal (bobot)", marker_color="#E3E8EF", hoverinfo="skip"))
    fig.add_trace(go.Bar(
        y=dims["dimension"].to_list(), x=dims["points"].to_list(), orientation="h", name="Poin diperoleh",
        marker_color="#1F5A96",
        text=[f"{fmt.number(p, 1)} / {fmt.number(m, 0)} (nilai {fmt.number(s, 1)})" for p, m, s in
              zip(dims["points"], dims["max_points"], dims["score"], strict=True)],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.1f} poin<extra></extra>",
    ))
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    fig.update_xaxes(title="Poin terhadap nilai total", range=[0, max(dims["max_points"].max() or 0, 1) * 1.45])
    charts.style(fig, ctx, f"Dimensi penilaian {year}", height=320)
    charts.show(fig, ctx, name=f"penilaian-dimensi-{year}", key="penilaian.dims", data=dims, cols=[
        Col("dimension", "Dimensi"), Col("weight", "Bobot", "num1"), Col("score", "Nilai (0–100)", "num1"),
        Col("points", "Poin", "num2"), Col("max_points", "Poin maks.", "num2"),
    ], sheet="Dimensi")

# ---------------------------------------------------------------- indicators
st.subheader("Indikator, nilai dan masukannya")
rows = []
for d in result.dimensions:
    for i in d.indicators:
        rows.append({
            "dimension": d.label, "indicator": i.label, "source": "data" if i.source == "data" else "bukti dukung",
            "value_text": i.value_text, "score": i.score, "points": i.points, "max_points": i.max_points,
            "status": i.status, "explanation": i.explanation,
            "inputs": "; ".join(f"{k} = {fmt.number(v, 4) if isinstance(v, float) else v}"
                                for k, v in i.inputs.items())
                      or (", ".join(f"BD-{e:04d}" for e in i.evidence_ids) if i.evidence_ids else ""),
        })
ind = pl.DataFrame(rows, schema={"dimension": pl.String, "indicator": pl.String, "source": pl.String,
                                 "value_text": pl.String, "score": pl.Float64, "points": pl.Float64,
                                 "max_points": pl.Float64, "status": pl.String, "explanation": pl.String,
                                 "inputs": pl.String})
IND_COLS = [
    Col("dimension", "Dimensi"), Col("indicator", "Indikator", width="medium"), Col("source", "Sumber"),
    Col("value_text", "Nilai"), Col("score", "Skor (0–100)", "num1"), Col("points", "Poin", "num2"),
    Col("max_points", "Poin maks.", "num2"), Col("status", "Status"),
    Col("explanation", "Penjelasan", width="large"),
    Col("inputs", "Masukan (kunci KPI = nilai; bukti)", width="large",
        help="Angka dari mesin KPI untuk periode yang sama, atau nomor bukti dukung yang dihitung."),
]
with states.guarded():
    tables.show(ind, IND_COLS, key="penilaian.ind", height=tables.fit_height(ind.height, 640))
    if scope.can("download_data"):
        tables.downloads(ind, IND_COLS, file_stub=ctx.file_stub(f"penilaian-indikator-{year}"),
                         key="penilaian.ind.dl", sheet="Indikator")

# ---------------------------------------------------------------- evidence completeness
st.subheader(f"Kelengkapan bukti dukung {year}")
with states.guarded():
    comp, note = data.warehouse_completeness(scope, snap, year)
    if note and note not in result.notes:
        st.info(note, icon=":material/description:")
    if comp:
        cdf = pl.DataFrame([
            {"indicator": c["label"], "status": c["status"], "units": c["units"], "required": c["required_count"],
             "pending": len(c["pending_ids"]), "missing": c["missing"] or "Lengkap"}
            for c in comp
        ], schema={"indicator": pl.String, "status": pl.String, "units": pl.Int64, "required": pl.Int64,
                   "pending": pl.Int64, "missing": pl.String})
        CCOLS = [Col("indicator", "Indikator", width="medium"), Col("status", "Status"),
                 Col("units", "Terverifikasi", "int"), Col("required", "Diperlukan", "int"),
                 Col("pending", "Menunggu verifikasi", "int"), Col("missing", "Yang masih kurang", width="large")]
        tables.show(cdf, CCOLS, key="penilaian.comp")
        st.caption("Sesuai snapshot gudang data. Bukti yang baru dicatat atau diverifikasi masuk ke penilaian "
                   "setelah gudang data dibangun ulang (tombol di halaman Unggah Data).")

# ---------------------------------------------------------------- what-if
st.subheader("Jalan ke predikat berikutnya")
bands = list(reversed([b.name for b in ctx.model.bands])) if ctx.model is not None else []
standing = result.predikat
if standing not in bands and ctx.model is not None and result.total is not None:
    standing = ctx.model.band_for(result.total)  # "Tidak dinilai": start from the estimated band
targets = bands[bands.index(standing) + 1:] if standing in bands else bands
if not targets:
    st.success("Predikat tertinggi sudah tercapai menurut model.", icon=":material/emoji_events:")
else:
    if st.session_state.get(TARGET_KEY) not in targets:
        st.session_state[TARGET_KEY] = targets[0]
    target = st.selectbox("Predikat tujuan", targets, key=TARGET_KEY)
    with states.guarded():
        plan = data.what_if(scope, snap, year, target)
        before, after = plan.get("total_before"), plan.get("total_after")
        if plan.get("reaches"):
            st.markdown(f"Perubahan paling sedikit untuk mencapai **{target}**: nilai {fmt.number(before, 1)} → "
                        f"**{fmt.number(after, 1)}**.")
        else:
            st.error(f"{target} tidak tercapai bahkan dengan semua perubahan yang mungkin menurut model "
                     f"(paling tinggi {fmt.number(after, 1)}).", icon=":material/block:")
        changes = plan.get("changes") or []
        for n, c in enumerate(changes, start=1):
            st.markdown(f"{n}. {c['description']}: **{fmt.signed(c['points'], 1, ' poin')}**")
        if plan.get("note"):
            st.caption(plan["note"])
