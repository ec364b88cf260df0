"""The "truth" simulator: every complaint of a demo city with its full lifecycle.

Vectorised (numpy + polars, no per-row Python loops), seeded, and fast enough
for a million complaints. The frame it returns is the ground truth as of the
end of ``end``: timestamps after that have not happened yet and are null, and
``status`` is the canonical status at that moment (``state_at``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

from pipelines.demo import vocab
from pipelines.demo.workdays import WorkCalendar
from pipelines.masterdata import MasterData, load_master_data

COMPLAINTS_PER_YEAR = 2500  # a mid-sized city

REKAP_CHANNELS = ("ULPIM", "WhatsApp", "Instagram", "Call Center 112", "SAPA MAS WALI")
CHANNEL_WEIGHTS = {
    "SP4N-LAPOR! Website": 0.27,
    "SP4N-LAPOR! Aplikasi": 0.22,
    "SMS 1708": 0.012,
    "Twitter/X @lapor1708": 0.013,
    "Form Manual LAPOR!": 0.03,
    "ULPIM": 0.12,
    "WhatsApp": 0.17,
    "Instagram": 0.085,
    "Call Center 112": 0.05,
    "SAPA MAS WALI": 0.0,
}
SAPA_SHARE = 0.2  # share of SAPA MAS WALI once launched
EMERGENCY_112_FACTOR = 8.0

# Timestamp columns of the lifecycle, in order. postponed_at and not_authority_at are
# the simulator's own (no export carries them); they drive the status of a snapshot.
TS_COLS = ("reported_at", "verified_at", "dispatched_at", "first_response_at", "resolved_at", "archived_at")
EXTRA_TS_COLS = ("postponed_at", "not_authority_at")

# Response behaviour per OPD: (gamma shape, gamma scale in HK, P(no response), P(responded but never closed)).
FAST = (1.3, 0.8, 0.02, 0.02)
MEDIUM = (1.6, 1.5, 0.06, 0.04)
SLOW = (2.4, 2.3, 0.13, 0.07)
LOCAL_UNIT = (1.8, 1.7, 0.10, 0.05)
FAST_OPD = (
    vocab.DISHUB, vocab.KOMINFO, vocab.BPBD, "Dinas Kependudukan dan Pencatatan Sipil", "RSUD Mardi Waluyo",
)
SLOW_OPD = (
    vocab.DPUPR, "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Badan Pendapatan Daerah", "Inspektorat",
)
BACKLOG_OPD = vocab.DISPERKIM
# The backlog OPD stops keeping up: from this date its chance of never answering
# ramps up over BACKLOG_RAMP_DAYS.
BACKLOG_FROM = dt.date(2025, 12, 1)
BACKLOG_RAMP_DAYS = 330


def opd_profile(department: str) -> tuple[float, float, float, float]:
    """Response behaviour of one OPD (the backlog OPD's before its decline)."""
    if department in FAST_OPD:
        return FAST
    if department in SLOW_OPD:
        return SLOW
    if department.startswith(("Kelurahan ", "Kecamatan ")):
        return LOCAL_UNIT
    return MEDIUM


def department_stand_ins(md: MasterData) -> dict[str, str]:
    """The simulator's OPD names a pemda's config lacks, each mapped onto one of its own departments.

    The vocabulary is Kota Blitar's: a config made by `monev init` for another pemda has no
    kelurahan units (a kelurahan/desa complaint goes to its kecamatan) and no RSUD Mardi
    Waluyo (its RSUD, else the Dinas Kesehatan). Empty for the built-in config.
    """
    have = set(md.department_names)
    out: dict[str, str] = {}
    for k in md.kelurahan_names:
        kec = f"Kecamatan {md.kecamatan_for_kelurahan(k)}"
        if f"Kelurahan {k}" not in have and kec in have:
            out[f"Kelurahan {k}"] = kec
    rsud = [d.name for d in md.departments if d.kind == "rsud"] or [n for n in ("Dinas Kesehatan",) if n in have]
    for t in vocab.TOPICS:
        for d, _ in t.departments:
            if d.startswith("RSUD ") and d not in have and rsud:
                out[d] = rsud[0]
    return out


def missing_master_data(md: MasterData) -> list[str]:
    """Names the simulator needs that the master data lacks and that have no stand-in
    (``department_stand_ins``); the vocabulary is made for Kota Blitar's config."""
    need_dept = {d for t in vocab.TOPICS for d, _ in t.departments if not d.startswith("@")}
    need_dept |= {f"Kelurahan {k}" for k in md.kelurahan_names} | {f"Kecamatan {k}" for k in md.kecamatan_names}
    missing = sorted(need_dept - set(md.department_names) - set(department_stand_ins(md)))
    missing += sorted({t.category for t in vocab.TOPICS} - set(md.category_names))
    missing += sorted({c for t in vocab.TOPICS for c, _ in t.classifications} - {c.name for c in md.classifications})
    missing += sorted(set(CHANNEL_WEIGHTS) - set(md.channel_names))
    return missing


def _s(a: np.ndarray) -> np.ndarray:
    return a.astype("datetime64[s]")


NAT = np.datetime64("NaT", "s")


def _ts_series(a: np.ndarray) -> pl.Series:
    return pl.Series(a.astype("datetime64[us]")).cast(pl.Datetime("us"))


def _tod(ts: np.ndarray) -> np.ndarray:
    """Seconds since midnight."""
    return (ts - ts.astype("datetime64[D]")).astype(np.int64)


def _office_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Office-hours times of day, minutes resolution: mostly 07:30-16:00, a few evenings."""
    sec = 27_000 + rng.integers(0, 30_600, n)
    late = rng.random(n) < 0.05
    sec = np.where(late, 57_600 + rng.integers(0, 14_400, n), sec)
    return (sec // 60) * 60


def _place(cal: WorkCalendar, rng: np.random.Generator, start: np.ndarray, k: np.ndarray, latest_same_day: int) -> np.ndarray:
    """The moment ``k`` working days after ``start`` (HK(start, result) == k).

    k == 0 stays on the same day, later than ``start``; it is only allowed when
    ``start`` is a working day before ``latest_same_day`` seconds, otherwise k >= 1.
    """
    n = len(start)
    out = np.full(n, NAT)
    ok = ~np.isnat(start)
    if not ok.any():
        return out
    st = start[ok]
    kk = np.asarray(k)[ok].astype(np.int64)
    day = st.astype("datetime64[D]")
    tod = _tod(st)
    same_ok = cal.is_working(day) & (tod < latest_same_day)
    kk = np.where((kk < 1) & ~same_ok, 1, np.maximum(kk, 0))
    later = _s(cal.add(day, kk)) + _office_seconds(rng, len(st)).astype("timedelta64[s]")
    day_end = np.where(tod < 55_800, 59_400, 86_340)  # 16:30, or 23:59 for evening starts
    span = np.maximum(day_end - tod, 60)
    step = ((0.05 + 0.9 * rng.random(len(st))) * span).astype(np.int64)
    step = np.maximum((step // 60) * 60, 60)
    same = st + np.minimum(step, 86_399 - tod).astype("timedelta64[s]")
    out[ok] = np.where(kk <= 0, same, later)
    return out


def _choice_by_group(rng: np.random.Generator, groups: np.ndarray, probs: dict[int, np.ndarray]) -> np.ndarray:
    """For each row, an index drawn from the probability vector of its group."""
    out = np.zeros(len(groups), dtype=np.int64)
    for g, p in probs.items():
        m = groups == g
        cnt = int(m.sum())
        if cnt:
            out[m] = rng.choice(len(p), size=cnt, p=p / p.sum())
    return out


def _day_flags(days: np.ndarray) -> dict[str, np.ndarray]:
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    rainy = np.isin(months, vocab.RAINY_MONTHS)
    leb = np.zeros(len(days), dtype=bool)
    for d in vocab.LEBARAN:
        lo = np.datetime64(d) + np.timedelta64(vocab.LEBARAN_WINDOW[0], "D")
        hi = np.datetime64(d) + np.timedelta64(vocab.LEBARAN_WINDOW[1], "D")
        leb |= (days >= lo) & (days <= hi)
    ppdb = np.isin(months, vocab.PPDB_MONTHS)
    sapa = days >= np.datetime64(vocab.SAPA_MAS_WALI_LAUNCH)
    return {"months": months, "rainy": rainy, "lebaran": leb, "ppdb": ppdb, "sapa": sapa}


def _gather(values: Sequence[str], idx: np.ndarray) -> pl.Series:
    return pl.Series(list(values), dtype=pl.String).gather(idx)


def _flat(lists: Sequence[Sequence[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    flat: list[str] = []
    offsets, counts = [], []
    for lst in lists:
        offsets.append(len(flat))
        counts.append(len(lst))
        flat.extend(lst)
    return flat, np.array(offsets), np.array(counts)


def _pick_flat(rng: np.random.Generator, key: np.ndarray, offsets: np.ndarray, counts: np.ndarray) -> np.ndarray:
    return offsets[key] + (rng.random(len(key)) * counts[key]).astype(np.int64)


def _fill(expr: pl.Expr) -> pl.Expr:
    for ph in ("jalan", "tempat", "kel", "lama", "phone", "email", "nik"):
        expr = expr.str.replace_all("{" + ph + "}", pl.col("_" + ph), literal=True)
    return expr


def _people(rng: np.random.Generator, n_pool: int, kec_code: np.ndarray) -> pl.DataFrame:
    """A pool of fake but pattern-valid reporters."""
    fi = rng.integers(0, len(vocab.FIRST_NAMES), n_pool)
    li = rng.integers(0, len(vocab.LAST_NAMES), n_pool)
    form = rng.random(n_pool)
    first = _gather(vocab.FIRST_NAMES, fi)
    last = _gather(vocab.LAST_NAMES, li)
    prefix = _gather(vocab.PHONE_PREFIXES, rng.integers(0, len(vocab.PHONE_PREFIXES), n_pool))
    ndig = np.where(rng.random(n_pool) < 0.6, 8, 7)
    rest = rng.integers(0, 10**8, n_pool) % (10 ** ndig)
    dom = _gather(vocab.EMAIL_DOMAINS, rng.integers(0, len(vocab.EMAIL_DOMAINS), n_pool))
    num = rng.integers(1, 99, n_pool)
    # NIK: 35 (Jawa Timur) 72 (Kota Blitar) kecamatan, birth date (women +40), serial.
    female = rng.random(n_pool) < 0.5
    bday = rng.integers(1, 29, n_pool) + np.where(female, 40, 0)
    bmon = rng.integers(1, 13, n_pool)
    byear = rng.integers(50, 105, n_pool) % 100
    serial = rng.integers(1, 999, n_pool)
    df = pl.DataFrame(
        {
            "first": first, "last": last, "form": form, "prefix": prefix, "ndig": ndig, "rest": rest,
            "dom": dom, "num": num, "kec": kec_code, "bday": bday, "bmon": bmon, "byear": byear, "serial": serial,
            "has_email": rng.random(n_pool) < 0.6, "has_nik": rng.random(n_pool) < 0.55,
            "has_phone": rng.random(n_pool) < 0.96, "mail_num": rng.random(n_pool) < 0.5,
        }
    )
    z2 = lambda c: pl.col(c).cast(pl.String).str.zfill(2)  # noqa: E731
    return df.select(
        reporter_name=pl.when(pl.col("form") < 0.25).then(pl.col("first"))
        .otherwise(pl.concat_str([pl.col("first"), pl.col("last")], separator=" ")),
        reporter_phone=pl.when(pl.col("has_phone")).then(
            pl.concat_str([pl.col("prefix"), pl.col("rest").cast(pl.String).str.zfill(8).str.slice(0, pl.col("ndig"))])
        ),
        reporter_email=pl.when(pl.col("has_email")).then(
            pl.concat_str(
                [
                    pl.col("first").str.to_lowercase(),
                    pl.when(pl.col("form") < 0.6).then(pl.lit(".") + pl.col("last").str.to_lowercase()).otherwise(pl.lit("")),
                    pl.when(pl.col("mail_num")).then(pl.col("num").cast(pl.String)).otherwise(pl.lit("")),
                    pl.lit("@"),
                    pl.col("dom"),
                ]
            )
        ),
        reporter_nik=pl.when(pl.col("has_nik")).then(
            pl.concat_str(
                [pl.lit("3572"), z2("kec"), z2("bday"), z2("bmon"), z2("byear"), pl.col("serial").cast(pl.String).str.zfill(4)]
            )
        ),
    )


def _phone_variant(rng: np.random.Generator, phone: pl.Series) -> pl.Series:
    """Phones as people write them: 0812..., 0812-3456-7890, +62 812..., 62812..."""
    n = len(phone)
    form = pl.Series(rng.integers(0, 5, n))
    df = pl.DataFrame({"p": phone, "f": form})
    core = pl.col("p").str.slice(1)
    return df.select(
        pl.when(pl.col("f") <= 1).then(pl.col("p"))
        .when(pl.col("f") == 2).then(
            pl.concat_str([pl.col("p").str.slice(0, 4), pl.col("p").str.slice(4, 4), pl.col("p").str.slice(8)], separator="-")
        )
        .when(pl.col("f") == 3).then(pl.lit("+62 ") + core)
        .otherwise(pl.lit("62") + core)
    ).to_series()


def state_at(df: pl.DataFrame, t: dt.datetime) -> pl.DataFrame:
    """Each complaint as an export taken at ``t`` shows it: timestamps from ``t`` on are not
    yet known (null), the canonical status follows, and the OPD shows once dispositioned."""
    lit = pl.lit(t, dtype=pl.Datetime("us"))
    vis = {c: pl.when(pl.col(c) < lit).then(pl.col(c)) for c in TS_COLS[1:] + EXTRA_TS_COLS}
    out = df.filter(pl.col("reported_at") < lit).with_columns(**vis)
    rekap = pl.col("source_system") == "rekap"
    status = (
        pl.when(pl.col("archived_at").is_not_null()).then(pl.lit("archived"))
        .when(pl.col("not_authority_at").is_not_null()).then(pl.lit("not_authority"))
        .when(pl.col("resolved_at").is_not_null()).then(pl.lit("resolved"))
        .when(pl.col("postponed_at").is_not_null()).then(pl.lit("postponed"))
        .when(pl.col("first_response_at").is_not_null()).then(pl.lit("in_progress"))
        .when(rekap | pl.col("verified_at").is_not_null()).then(pl.lit("awaiting_response"))
        .otherwise(pl.lit("unverified"))
    )
    out = out.with_columns(status=status)
    shown = (rekap | pl.col("dispatched_at").is_not_null()) & ~pl.col("status").is_in(["archived", "not_authority"])
    return out.with_columns(
        department=pl.when(shown).then(pl.col("department")),
        satisfaction=pl.when(pl.col("resolved_at").is_not_null()).then(pl.col("satisfaction")),
    )


def simulate_complaints(
    seed: int,
    start: dt.date,
    end: dt.date,
    *,
    rows: int | None = None,
    scale: float = 1.0,
    md: MasterData | None = None,
) -> pl.DataFrame:
    """Simulate every complaint reported from ``start`` to ``end`` (inclusive) with its lifecycle.

    ``rows`` fixes the number of complaints; otherwise about ``scale`` x 2,500 a year.
    Same seed, same arguments: the same frame. Columns: source_system (lapor | rekap),
    source_id, channel, the lifecycle timestamps (WIB, as of the end of ``end``), status,
    classification, category, topic, department, kecamatan, kelurahan, title, body,
    location, reporter_* (personal data: raw files only), is_anonymous, is_confidential,
    satisfaction, berkadar_pengawasan, pii_in_text, duplicate_of (the rekap register of
    the original when this LAPOR! row was typed in from a rekap), postponed_at,
    not_authority_at.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    md = md or load_master_data()
    missing = missing_master_data(md)
    if missing:
        raise ValueError(f"master data in {md.config_dir} lacks names the demo needs: {', '.join(missing)}")
    r_dates, r_attr, r_text, r_people, r_life, r_ids, r_dup = (
        np.random.default_rng(s) for s in np.random.SeedSequence([int(seed), 20240101]).spawn(7)
    )
    cal = WorkCalendar(md, start.year - 1, end.year + 2)

    # ---------------------------------------------------------------- volume and dates
    days = np.arange(np.datetime64(start), np.datetime64(end) + np.timedelta64(1, "D"))
    nd = len(days)
    n = int(rows) if rows is not None else round(scale * COMPLAINTS_PER_YEAR * nd / 365.25)
    if n < 1:
        raise ValueError("the simulation needs at least one complaint (rows or scale too small)")
    n_dup = 0 if n < 200 else max(3, round(0.002 * n))
    n_base = n - n_dup
    flags = _day_flags(days)
    dow = (days.astype(np.int64) + 3) % 7
    w = np.array([1.0, 1.0, 0.97, 0.95, 0.88, 0.45, 0.35])[dow]
    w = np.where((dow < 5) & ~cal.is_working(days), w * 0.5, w)
    w = w * (1 + 0.08 * (np.arange(nd) / 365.25))
    w = w * np.where(flags["rainy"], 1.12, 1.0) * np.where(flags["lebaran"], 1.1, 1.0) * np.where(flags["sapa"], 1.15, 1.0)
    day_idx = np.sort(r_dates.choice(nd, size=n_base, p=w / w.sum()))
    rep_day = days[day_idx]

    # ---------------------------------------------------------------- topic, channel, place
    topics = vocab.TOPICS
    base_w = np.array([t.weight for t in topics])
    regime = (flags["rainy"].astype(int) + 2 * flags["lebaran"] + 4 * flags["ppdb"])[day_idx]
    probs = {}
    for g in np.unique(regime):
        rainy, leb, ppdb = bool(g & 1), bool(g & 2), bool(g & 4)
        probs[int(g)] = base_w * np.array(
            [(t.rain if rainy else 1.0) * (t.lebaran if leb else 1.0) * (t.ppdb if ppdb else 1.0) for t in topics]
        )
    topic = _choice_by_group(r_attr, regime, probs)

    ch_names = list(CHANNEL_WEIGHTS)
    emergency = np.array([t.emergency for t in topics])[topic]
    cgroup = flags["sapa"][day_idx].astype(int) + 2 * emergency
    cprobs = {}
    for g in (0, 1, 2, 3):
        p = np.array([CHANNEL_WEIGHTS[c] for c in ch_names])
        if g & 2:
            p[ch_names.index("Call Center 112")] *= EMERGENCY_112_FACTOR
        if g & 1:
            p = p / p.sum() * (1 - SAPA_SHARE)
            p[ch_names.index("SAPA MAS WALI")] = SAPA_SHARE
        cprobs[g] = p
    channel_i = _choice_by_group(r_attr, cgroup, cprobs)

    kel_names = md.kelurahan_names
    kel_kec = [md.kecamatan_for_kelurahan(k) for k in kel_names]
    kec_names = md.kecamatan_names
    kel_w = r_attr.uniform(0.6, 1.4, len(kel_names))
    kel_i = r_attr.choice(len(kel_names), size=n_base, p=kel_w / kel_w.sum())

    # ---------------------------------------------------------------- department, classification
    dept_names = md.department_names
    stand_in = department_stand_ins(md)

    def dept_index(name: str) -> int:
        return dept_names.index(stand_in.get(name, name))

    kel_dept = np.array([dept_index(f"Kelurahan {k}") for k in kel_names])
    kec_dept = np.array([dept_index(f"Kecamatan {k}") for k in kel_kec])
    dept_i = np.zeros(n_base, dtype=np.int64)
    for ti, t in enumerate(topics):
        m = topic == ti
        cnt = int(m.sum())
        if not cnt:
            continue
        opts = [d for d, _ in t.departments]
        pw = np.array([x for _, x in t.departments])
        pick = r_attr.choice(len(opts), size=cnt, p=pw / pw.sum())
        chosen = np.empty(cnt, dtype=np.int64)
        for oi, o in enumerate(opts):
            mm = pick == oi
            if o == "@kelurahan":
                chosen[mm] = kel_dept[kel_i[m][mm]]
            elif o == "@kecamatan":
                chosen[mm] = kec_dept[kel_i[m][mm]]
            else:
                chosen[mm] = dept_index(o)
        dept_i[m] = chosen
    cls_names = [c.name for c in md.classifications]
    cls_i = np.zeros(n_base, dtype=np.int64)
    for ti, t in enumerate(topics):
        m = topic == ti
        cnt = int(m.sum())
        if cnt:
            pw = np.array([x for _, x in t.classifications])
            pick = r_attr.choice(len(pw), size=cnt, p=pw / pw.sum())
            cls_i[m] = np.array([cls_names.index(c) for c, _ in t.classifications])[pick]

    # ---------------------------------------------------------------- reporters
    n_pool = max(50, int(0.8 * n_base))
    pool = _people(r_people, n_pool, r_people.integers(1, len(kec_names) + 1, n_pool))
    who = np.minimum((n_pool * r_people.random(n_base) ** 1.5).astype(np.int64), n_pool - 1)
    people = pool[who]
    is_rekap = np.isin(channel_i, [ch_names.index(c) for c in REKAP_CHANNELS])
    anon = np.where(is_rekap, r_people.random(n_base) < 0.03, r_people.random(n_base) < 0.14)
    confidential = r_people.random(n_base) < np.where(anon, 0.4, 0.08)
    people = people.with_columns(
        reporter_phone=_phone_variant(r_people, people["reporter_phone"]),
    )

    # ---------------------------------------------------------------- text
    titles, t_off, t_cnt = _flat([t.titles for t in topics])
    probs_, p_off, p_cnt = _flat([t.problems for t in topics])
    impacts, i_off, i_cnt = _flat([t.impacts + vocab.GENERIC_IMPACTS for t in topics])
    rphr, r_off, r_cnt = _flat([t.rekap_phrases or t.titles for t in topics])
    rt = r_text
    street = rt.integers(0, len(vocab.STREETS), n_base)
    place = rt.integers(0, len(vocab.PLACES), n_base)
    pii_text = (rt.random(n_base) < np.where(is_rekap, 0.02, 0.05)) & ~anon
    loc_form = rt.random(n_base)
    house_no = rt.integers(1, 120, n_base)
    para = rt.random(n_base) < 0.12
    text = pl.DataFrame(
        {
            "_jalan": _gather(vocab.STREETS, street),
            "_tempat": _gather(vocab.PLACES, place),
            "_kel": _gather(kel_names, kel_i),
            "_lama": _gather(vocab.LAMA, rt.integers(0, len(vocab.LAMA), n_base)),
            "_phone": people["reporter_phone"].fill_null("-"),
            "_email": people["reporter_email"].fill_null("-"),
            "_nik": people["reporter_nik"].fill_null("-"),
            "t_title": _gather(titles, _pick_flat(rt, topic, t_off, t_cnt)),
            "t_open": _gather(vocab.OPENERS, rt.integers(0, len(vocab.OPENERS), n_base)),
            "t_prob": _gather(probs_, _pick_flat(rt, topic, p_off, p_cnt)),
            "t_imp": _gather(impacts, _pick_flat(rt, topic, i_off, i_cnt)),
            "t_req": _gather(vocab.REQUESTS, rt.integers(0, len(vocab.REQUESTS), n_base)),
            "t_close": _gather(vocab.CLOSERS, rt.integers(0, len(vocab.CLOSERS), n_base)),
            "t_rphr": _gather(rphr, _pick_flat(rt, topic, r_off, r_cnt)),
            "t_rreq": _gather(vocab.REKAP_REQUESTS, rt.integers(0, len(vocab.REKAP_REQUESTS), n_base)),
            "t_contact": _gather(vocab.CONTACT_SENTENCES, rt.integers(0, len(vocab.CONTACT_SENTENCES), n_base)),
            "has_imp": rt.random(n_base) < 0.75,
            "para": para,
            "pii": pii_text,
            "rekap": is_rekap,
            "loc_form": loc_form,
            "house": house_no,
        }
    )
    sep_imp = pl.when(pl.col("para")).then(pl.lit("\n\n")).otherwise(pl.lit(" "))
    # Contact details are only written when the reporter has them (no "-" placeholders).
    contact_ok = (
        pl.when(pl.col("t_contact").str.contains("{email}", literal=True)).then(pl.col("_email") != "-")
        .when(pl.col("t_contact").str.contains("{nik}", literal=True)).then((pl.col("_nik") != "-") & (pl.col("_phone") != "-"))
        .otherwise(pl.col("_phone") != "-")
    )
    lapor_body = pl.concat_str(
        [
            pl.when(pl.col("t_open") == "").then(pl.lit("")).otherwise(pl.col("t_open") + " "),
            pl.col("t_prob"),
            pl.when(pl.col("has_imp")).then(pl.lit(" ") + pl.col("t_imp")).otherwise(pl.lit("")),
            sep_imp,
            pl.col("t_req"),
            pl.when(pl.col("t_close") == "").then(pl.lit("")).otherwise(pl.lit(" ") + pl.col("t_close")),
            pl.when(pl.col("pii") & contact_ok).then(pl.lit(" ") + pl.col("t_contact")).otherwise(pl.lit("")),
        ]
    )
    rekap_body = pl.concat_str(
        [
            pl.col("t_rphr").str.slice(0, 1).str.to_uppercase() + pl.col("t_rphr").str.slice(1),
            pl.when(pl.col("t_rreq") == "").then(pl.lit("")).otherwise(pl.lit(", ") + pl.col("t_rreq")),
            pl.when(pl.col("pii") & (pl.col("_phone") != "-")).then(pl.lit(" (hub. {phone})")).otherwise(pl.lit("")),
        ]
    )
    location = (
        pl.when(pl.col("loc_form") < 0.55).then(pl.concat_str([pl.col("_jalan"), pl.lit(" No. "), pl.col("house").cast(pl.String)]))
        .when(pl.col("loc_form") < 0.75).then(pl.concat_str([pl.col("_jalan"), pl.lit(", depan "), pl.col("_tempat")]))
        .when(pl.col("loc_form") < 0.85).then(pl.col("_tempat"))
        .when(pl.col("loc_form") < 0.95).then(pl.col("_jalan"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    text = text.with_columns(
        title=_fill(
            pl.when(pl.col("rekap"))
            .then(pl.col("t_rphr").str.slice(0, 1).str.to_uppercase() + pl.col("t_rphr").str.slice(1))
            .otherwise(pl.col("t_title"))
        ),
        body=_fill(pl.when(pl.col("rekap")).then(rekap_body).otherwise(lapor_body)),
        location=_fill(location),
        pii_in_text=pl.col("pii") & pl.when(pl.col("rekap")).then(pl.col("_phone") != "-").otherwise(contact_ok),
    ).select("title", "body", "location", "pii_in_text")

    frame = pl.DataFrame(
        {
            "channel": _gather(ch_names, channel_i),
            "source_system": _gather(["lapor", "rekap"], is_rekap.astype(np.int64)),
            "_day": rep_day,
            "topic": _gather([t.key for t in topics], topic),
            "category": _gather([t.category for t in topics], topic),
            "classification": _gather(cls_names, cls_i),
            "department": _gather(dept_names, dept_i),
            "kecamatan": _gather(kel_kec, kel_i),
            "kelurahan": _gather(kel_names, kel_i),
            "_dept_i": dept_i,
            "_topic_i": topic,
            "is_anonymous": anon,
            "is_confidential": confidential,
            "_dup_src": np.full(n_base, -1, dtype=np.int64),
        }
    )
    frame = pl.concat([frame, text, people.with_columns(
        [pl.when(pl.Series(anon)).then(None).otherwise(pl.col(c)).alias(c) for c in people.columns]
    )], how="horizontal")

    # ---------------------------------------------------------------- duplicates across channels
    if n_dup:
        cand = np.flatnonzero(is_rekap & (rep_day <= np.datetime64(end) - np.timedelta64(3, "D")))
        if len(cand) < n_dup:
            n_dup = len(cand)
        orig = np.sort(r_dup.choice(cand, size=n_dup, replace=False))
        shifted = rep_day[orig] + r_dup.integers(1, 3, n_dup).astype("timedelta64[D]")
        copies = frame[orig].with_columns(
            channel=pl.lit("Form Manual LAPOR!"),
            source_system=pl.lit("lapor"),
            _day=pl.Series(shifted),
            body=pl.concat_str([pl.lit("Diteruskan dari "), pl.col("channel"), pl.lit(": "), pl.col("body")]),
            _dup_src=pl.Series(orig),
        )
        frame = pl.concat([frame, copies])
    n = frame.height
    is_rekap = (frame["source_system"] == "rekap").to_numpy()
    is_dup_copy = (frame["_dup_src"] >= 0).to_numpy()
    is_dup_orig = np.zeros(n, dtype=bool)
    is_dup_orig[frame.filter(pl.col("_dup_src") >= 0)["_dup_src"].to_numpy()] = True

    # ---------------------------------------------------------------- lifecycle
    rl = r_life
    day = frame["_day"].to_numpy().astype("datetime64[D]")
    hour_mix = rl.random(n)
    office = np.clip(rl.normal(10.5, 2.2, n), 7, 15.99)
    evening = rl.uniform(16, 22, n)
    night = np.where(rl.random(n) < 0.3, rl.uniform(22, 24, n), rl.uniform(0, 7, n))
    hours = np.where(hour_mix < 0.72, office, np.where(hour_mix < 0.93, evening, night))
    secs = np.where(is_rekap, 0, (hours * 3600).astype(np.int64) // 60 * 60)
    reported = _s(day) + secs.astype("timedelta64[s]")

    u = rl.random(n)
    normal_only = is_dup_copy | is_dup_orig
    archived = ~normal_only & (u < np.where(is_rekap, 0.008, 0.02))
    not_auth = ~normal_only & ~archived & (u < np.where(is_rekap, 0.018, 0.035))
    normal = ~archived & ~not_auth
    lapor = ~is_rekap

    vk = rl.choice([0, 1, 2, 3, 4, 5, 7], size=n, p=[0.45, 0.30, 0.12, 0.08, 0.03, 0.01, 0.01])
    admin_step = _place(cal, rl, np.where(lapor, reported, NAT), vk, 55_800)
    verified = np.where(lapor & ~archived, admin_step, NAT)
    archived_at = np.where(archived, np.where(lapor, admin_step, _place(cal, rl, reported, rl.integers(0, 3, n), 86_400)), NAT)
    not_auth_at = np.where(not_auth, np.where(lapor, verified, _place(cal, rl, reported, rl.integers(0, 3, n), 86_400)), NAT)

    same_day = rl.random(n) < 0.8
    disp_same = verified + (rl.integers(5, 120, n) * 60).astype("timedelta64[s]")
    disp_same = np.minimum(disp_same, verified.astype("datetime64[D]") + np.timedelta64(86_399, "s"))
    disp_next = _place(cal, rl, verified, np.ones(n, dtype=np.int64), 0)
    dispatched = np.where(lapor & normal, np.where(same_day, disp_same, disp_next), NAT)

    dept_idx = frame["_dept_i"].to_numpy()
    prof = np.array([opd_profile(d) for d in dept_names])[dept_idx]
    shape, scale_, p_nr, p_ur = (prof[:, i].copy() for i in range(4))
    ramp = np.clip((day - np.datetime64(BACKLOG_FROM)).astype(np.int64) / BACKLOG_RAMP_DAYS, 0, 1)
    ramp = np.where(dept_idx == dept_names.index(BACKLOG_OPD), ramp, 0.0)
    p_nr = p_nr + 0.5 * ramp
    p_ur = p_ur + 0.35 * ramp
    scale_ = scale_ * (1 + 1.5 * ramp)

    clock = np.where(lapor, dispatched, reported)
    responded = normal & (rl.random(n) >= p_nr)
    rk = np.floor(rl.gamma(shape, scale_)).astype(np.int64) + np.where(is_rekap & (rl.random(n) < 0.5), 1, 0)
    first_resp = np.where(responded, _place(cal, rl, np.where(responded, clock, NAT), rk, 54_000), NAT)

    closed_silent = lapor & normal & ~responded & (rl.random(n) < 0.1)
    silent_at = _place(cal, rl, np.where(closed_silent, clock, NAT), 3 + rl.poisson(5, n), 54_000)

    postponed = responded & (rl.random(n) < 0.02)
    postponed_at = np.where(postponed, _place(cal, rl, first_resp, rl.integers(1, 4, n), 54_000), NAT)

    resolving = responded & ~postponed & (rl.random(n) >= p_ur)
    fast_cats = {c.name for c in md.categories if (c.resolution_limit_days or 99) <= 5}
    fast_limit = np.array([t.category in fast_cats for t in topics])[frame["_topic_i"].to_numpy()]
    m = rl.random(n)
    r_gen = np.where(
        m < 0.45, 0,
        np.where(m < 0.72, rl.integers(1, 6, n),
                 np.where(m < 0.92, np.where(lapor, 10, rl.integers(1, 6, n)), rl.integers(6, 31, n))),
    )
    r_fast = np.where(m < 0.85, 0, np.where(m < 0.95, 1, rl.integers(2, 5, n)))
    rr = np.where(fast_limit, r_fast, r_gen)
    resolved = np.where(resolving, _place(cal, rl, np.where(resolving, first_resp, NAT), rr, 55_800), NAT)
    resolved = np.where(closed_silent, silent_at, resolved)

    # Hand-kept rekap: dates only.
    for arr in (first_resp, resolved, postponed_at, archived_at, not_auth_at):
        arr[is_rekap] = arr[is_rekap].astype("datetime64[D]").astype("datetime64[s]")

    # Satisfaction: some LAPOR! reporters rate a closed report; slow or silent closes rate lower.
    has_res = ~np.isnat(resolved)
    res_hk = cal.hk(reported, np.where(has_res, resolved, reported))
    good = np.array([0.03, 0.05, 0.12, 0.35, 0.45])
    fair = np.array([0.12, 0.18, 0.3, 0.25, 0.15])
    bad = np.array([0.45, 0.3, 0.15, 0.07, 0.03])
    sat_group = np.where(closed_silent, 2, np.where(res_hk > 14, 1, 0))
    sat = _choice_by_group(rl, sat_group, {0: good, 1: fair, 2: bad}) + 1
    rated = lapor & ~np.isnat(resolved) & (rl.random(n) < 0.32)

    end_ts = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    frame = frame.with_columns(
        reported_at=_ts_series(reported),
        verified_at=_ts_series(verified),
        dispatched_at=_ts_series(dispatched),
        first_response_at=_ts_series(first_resp),
        resolved_at=_ts_series(resolved),
        archived_at=_ts_series(archived_at),
        postponed_at=_ts_series(postponed_at),
        not_authority_at=_ts_series(not_auth_at),
        satisfaction=pl.when(pl.Series(rated)).then(pl.Series(sat)).cast(pl.Int8),
        berkadar_pengawasan=pl.col("classification").is_in([c.name for c in md.classifications if c.berkadar_pengawasan]),
        _row=pl.int_range(0, n, dtype=pl.Int64),
    )

    # ---------------------------------------------------------------- identifiers, final order
    frame = frame.sort(["reported_at", "_row"])
    is_l = (frame["source_system"] == "lapor").to_numpy()
    n_l = int(is_l.sum())
    base = int(np.clip(4_400_000 + (start - dt.date(2024, 1, 1)).days * 1000, 1_000_000, 6_000_000))
    lam = float(min(150.0, max(0.0, (9_900_000 - base) / max(n_l, 1) - 1.0)))
    ids = base + np.cumsum(1 + r_ids.poisson(lam, n_l))
    if n_l and ids[-1] > 9_999_999:
        raise ValueError("too many LAPOR! complaints for 7-digit tracking ids")
    lapor_id = np.zeros(n, dtype=np.int64)
    lapor_id[is_l] = ids
    year = pl.col("reported_at").dt.year().cast(pl.String)
    seq = pl.int_range(1, pl.len() + 1).over(["channel", pl.col("reported_at").dt.year()]).cast(pl.String)
    register = (
        pl.when(pl.col("channel") == "ULPIM").then(pl.concat_str([pl.lit("ULPIM/"), year, pl.lit("/"), seq.str.zfill(4)]))
        .when(pl.col("channel") == "WhatsApp").then(pl.concat_str([pl.lit("WA-"), year, pl.lit("-"), seq.str.zfill(4)]))
        .when(pl.col("channel") == "Instagram").then(pl.concat_str([pl.lit("IG."), year, pl.lit("."), seq.str.zfill(3)]))
        .when(pl.col("channel") == "Call Center 112").then(pl.concat_str([pl.lit("CC112/"), year, pl.lit("/"), seq.str.zfill(4)]))
        .otherwise(pl.concat_str([pl.lit("SMW-"), year, pl.lit("-"), seq.str.zfill(4)]))
    )
    frame = frame.with_columns(_lapor_id=pl.Series(lapor_id).cast(pl.String), _register=register)
    frame = frame.with_columns(
        source_id=pl.when(pl.col("source_system") == "lapor").then(pl.col("_lapor_id")).otherwise(pl.col("_register"))
    )
    if n_dup:
        origs = frame.filter(pl.col("_row").is_in(frame["_dup_src"].filter(frame["_dup_src"] >= 0).implode()))
        frame = frame.with_columns(
            duplicate_of=pl.col("_dup_src").replace_strict(
                origs["_row"], origs["source_id"], default=None, return_dtype=pl.String
            )
        )
    else:
        frame = frame.with_columns(duplicate_of=pl.lit(None, dtype=pl.String))

    # Nothing after the end of `end` has happened yet.
    lit_end = pl.lit(end_ts, dtype=pl.Datetime("us"))
    frame = frame.with_columns(
        [pl.when(pl.col(c) < lit_end).then(pl.col(c)).alias(c) for c in TS_COLS[1:] + EXTRA_TS_COLS]
    )
    frame = state_at(frame, end_ts)
    cols = [
        "source_system", "source_id", "channel", *TS_COLS, "status", "classification", "category", "topic",
        "department", "kecamatan", "kelurahan", "title", "body", "location", "reporter_name", "reporter_phone",
        "reporter_email", "reporter_nik", "is_anonymous", "is_confidential", "satisfaction", "berkadar_pengawasan",
        "pii_in_text", "duplicate_of", *EXTRA_TS_COLS,
    ]
    return frame.select(cols)
