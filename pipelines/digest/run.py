"""`monev digest`: each recipient's worklist message for a week or a date, sent once.

Recipients: every OPD with work gets its worklist, one e-mail per officer with an address in the
officers' register; the koordinator addresses (config/digest.yaml) get the city's worklist by OPD and
the register's flags; the pimpinan addresses get the one-page executive snapshot.

Sending is idempotent per period and recipient: each send or failure is recorded in the state store
(``digest_sends``) and in the audit log, and a rerun sends only what has not been sent.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from pipelines import fmt
from pipelines.auth.audit import audit
from pipelines.digest import mail, pdf, render
from pipelines.digest.worklist import Worklist, build_worklist, executive_snapshot
from pipelines.kpi import resolve_as_of as data_as_of
from pipelines.officers import RegisterFlag, list_officers, register_flags
from pipelines.scorecard.render import slug
from pipelines.settings import Paths
from pipelines.state import now_local, open_state, register_migration, transaction

MIGRATION_ID = "0011_digest_sends"
MIGRATION_SQL = """
CREATE TABLE digest_sends (
    period_key       TEXT NOT NULL,         -- 2026-W49 or 2026-12-02
    unit             TEXT NOT NULL,         -- opd:<OPD> | koordinator | pimpinan
    recipient        TEXT NOT NULL,         -- e-mail address (personal data: stays in the state store)
    recipient_label  TEXT NOT NULL,         -- PP-0003 or 'koordinator 1' (what the audit log names)
    status           TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    attempts         INTEGER NOT NULL,
    last_attempt_at  TEXT NOT NULL,
    sent_at          TEXT,
    error            TEXT,
    as_of            TEXT NOT NULL,
    items            INTEGER NOT NULL,
    PRIMARY KEY (period_key, unit, recipient)
);
"""
register_migration(MIGRATION_ID, MIGRATION_SQL)


class DigestError(ValueError):
    """The digest cannot be built for these inputs (message in Bahasa Indonesia)."""


@dataclass(frozen=True)
class DigestPeriod:
    key: str  # idempotency key: 2026-W49 | 2026-12-02
    label: str  # "Minggu 2026-W49 (30 November – 6 Desember 2026)"
    end: dt.date  # the last day the digest is about


def week_period(text: str) -> DigestPeriod:
    t = text.strip().upper()
    try:
        year, week = t.split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise DigestError(f"Minggu '{text}' tidak dikenali; tulis sebagai TAHUN-WMINGGU, mis. 2026-W49.") from None
    sunday = monday + dt.timedelta(days=6)
    key = f"{int(year):04d}-W{int(week):02d}"
    return DigestPeriod(key, f"Minggu {key} ({fmt.date_long(monday)} – {fmt.date_long(sunday)})", sunday)


def date_period(text: str) -> DigestPeriod:
    try:
        d = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DigestError(f"Tanggal '{text}' tidak dikenali; tulis sebagai YYYY-MM-DD.") from None
    return DigestPeriod(d.isoformat(), f"Tanggal {fmt.date_long(d)}", d)


def this_week(today: dt.date | None = None) -> DigestPeriod:
    y, w, _ = (today or dt.date.today()).isocalendar()
    return week_period(f"{y}-W{w:02d}")


@dataclass
class OutMessage:
    unit: str
    unit_label: str
    recipient: str
    recipient_label: str
    subject: str
    text: str
    html: str
    attachment: Callable[[], tuple[str, bytes]] | None  # (file name, PDF), built only when sent
    items: int
    ids: dict[str, list[str]] = field(default_factory=dict)  # list key -> source ids (for checks)
    already_sent: bool = False


@dataclass
class Plan:
    period: DigestPeriod
    as_of: dt.date
    messages: list[OutMessage]
    unreachable: list[str]  # OPD with work but no officer e-mail
    whatsapp: dict[str, str]  # OPD -> WhatsApp text
    flags: list[RegisterFlag]
    note: str = ""


def resolve_as_of(con: duckdb.DuckDBPyConnection, period: DigestPeriod, exact: bool) -> tuple[dt.date, str]:
    """The as-of date of the lists: the period's end, but never after the data's own as-of date."""

    data = data_as_of(con, None)
    if period.end <= data:
        return period.end, ""
    if exact:
        raise DigestError(f"Tanggal {fmt.date_long(period.end)} sesudah tanggal data gudang ({fmt.date_long(data)}); "
                          "daftar kerja hanya dapat dibuat sampai tanggal data. Muat ekspor terbaru lalu jalankan "
                          "`monev run`, atau pilih tanggal yang lebih awal.")
    return data, f"Data terbaru per {fmt.date_long(data)}."


def _slug(text: str) -> str:
    return slug(text)


def _lazy(name: str, make: Callable[[], bytes]) -> Callable[[], tuple[str, bytes]]:
    """The attachment, built the first time a message needs it (shared by the messages of one unit)."""

    @functools.cache
    def get() -> tuple[str, bytes]:
        return name, make()

    return get


def _opd_messages(w: Worklist, period: DigestPeriod, settings: mail.DigestSettings, officers) -> list[OutMessage]:
    link = render.page_link(settings.dashboard_url, w.department)
    text, html = render.opd_text(w, link, period.label), render.opd_html(w, link, period.label)
    name = f"daftar-kerja-{_slug(w.department or 'kota')}-{period.key}.pdf"
    att = _lazy(name, lambda: pdf.worklist_pdf(w, period.label))
    subject = f"Daftar kerja pengaduan {w.department} – {period.label.split(' (')[0]}: {render.counts_line(w)}"
    ids = {s.key: w.ids(s.key) for s in w.sections}
    items = sum(w.count(s.key) for s in w.sections)
    return [OutMessage(f"opd:{w.department}", str(w.department), o.email, o.label, subject, text, html,
                       att, items, ids) for o in officers if o.email]


def _city_messages(con, city: Worklist, plan: Plan, settings: mail.DigestSettings) -> list[OutMessage]:
    out: list[OutMessage] = []
    period = plan.period
    link = render.page_link(settings.dashboard_url)
    if settings.koordinator:
        text = render.koordinator_text(city, plan.flags, plan.unreachable, link, period.label)
        html = render.koordinator_html(city, plan.flags, plan.unreachable, link, period.label)
        att = _lazy(f"daftar-kerja-seluruh-opd-{period.key}.pdf",
                    lambda: pdf.worklist_pdf(city, period.label, flags=plan.flags, unreachable=plan.unreachable))
        subj = f"Daftar kerja pengaduan seluruh OPD – {period.label.split(' (')[0]}: {render.counts_line(city)}"
        items = sum(city.count(s.key) for s in city.sections)
        out += [OutMessage("koordinator", "Admin Koordinator", a, f"koordinator {i}", subj, text, html, att, items)
                for i, a in enumerate(settings.koordinator, start=1)]
    if settings.pimpinan:
        snap = executive_snapshot(con, plan.as_of)
        text, html = render.pimpinan_text(snap, link, period.label), render.pimpinan_html(snap, link, period.label)
        att = _lazy(f"ringkasan-pengaduan-{period.key}.pdf", lambda: pdf.snapshot_pdf(snap, period.label))
        subj = f"Ringkasan pengaduan – {period.label.split(' (')[0]}"
        out += [OutMessage("pimpinan", "Pimpinan", a, f"pimpinan {i}", subj, text, html, att,
                           int(snap.numbers["backlog_overdue"] or 0)) for i, a in enumerate(settings.pimpinan, start=1)]
    return out


def build_plan(con: duckdb.DuckDBPyConnection, paths: Paths, settings: mail.DigestSettings, period: DigestPeriod,
               *, exact: bool = False, today: dt.date | None = None) -> Plan:
    """Every message of the period (not yet checked against what was sent)."""
    as_of, note = resolve_as_of(con, period, exact)
    city = build_worklist(con, as_of=as_of)
    officers = list_officers(paths)
    flags = register_flags(city.departments, officers, today or dt.date.today())
    plan = Plan(period, as_of, [], [], {}, flags, note)
    for dep in city.departments:
        w = city.for_department(dep)
        if not w.has_work:
            continue
        plan.whatsapp[dep] = render.whatsapp_text(w, render.page_link(settings.dashboard_url, dep),
                                                  settings.whatsapp_items)
        own = _opd_messages(w, period, settings, [o for o in officers if o.department == dep])
        if not own:
            plan.unreachable.append(dep)
        plan.messages += own
    plan.messages += _city_messages(con, city, plan, settings)
    return plan


# ----------------------------------------------------------------- the send log


def sent_keys(paths: Paths, period_key: str) -> set[tuple[str, str]]:
    with open_state(paths) as con:
        rows = con.execute("SELECT unit, recipient FROM digest_sends WHERE period_key = ? AND status = 'sent'",
                           [period_key]).fetchall()
    return {(r[0], r[1]) for r in rows}


def record(paths: Paths, plan: Plan, m: OutMessage, error: str | None) -> None:
    now = now_local()
    status = "failed" if error else "sent"
    with open_state(paths) as con, transaction(con):
        con.execute(
            "INSERT INTO digest_sends (period_key, unit, recipient, recipient_label, status, attempts, last_attempt_at,"
            " sent_at, error, as_of, items) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)"
            " ON CONFLICT (period_key, unit, recipient) DO UPDATE SET status = excluded.status,"
            " attempts = digest_sends.attempts + 1, last_attempt_at = excluded.last_attempt_at,"
            " sent_at = coalesce(excluded.sent_at, digest_sends.sent_at), error = excluded.error,"
            " as_of = excluded.as_of, items = excluded.items, recipient_label = excluded.recipient_label",
            [plan.period.key, m.unit, m.recipient, m.recipient_label, status, now, None if error else now, error,
             plan.as_of.isoformat(), m.items],
        )


@dataclass
class RunResult:
    sent: list[OutMessage] = field(default_factory=list)
    skipped: list[OutMessage] = field(default_factory=list)
    failed: list[tuple[OutMessage, str]] = field(default_factory=list)


def mark_sent(paths: Paths, plan: Plan) -> None:
    done = sent_keys(paths, plan.period.key)
    for m in plan.messages:
        m.already_sent = (m.unit, m.recipient) in done


def send_plan(paths: Paths, plan: Plan, smtp: mail.SmtpSettings, *, user: str,
              on_message: Callable[[OutMessage, str | None], None] | None = None) -> RunResult:
    """Send what has not been sent for this period; one SMTP session; every outcome recorded and audited."""
    mark_sent(paths, plan)
    res = RunResult(skipped=[m for m in plan.messages if m.already_sent])
    todo = [m for m in plan.messages if not m.already_sent]
    if not todo:
        return res
    session, conn_error = None, None
    try:
        session = mail.connect(smtp)
    except mail.MailError as exc:
        conn_error = str(exc)
    try:
        for m in todo:
            err = conn_error or _send_one(session, smtp, m)
            record(paths, plan, m, err)
            detail = f"{plan.period.key} {m.unit_label} → {m.recipient_label}: {fmt.number(m.items)} pengaduan"
            audit(paths, user, "digest_failed" if err else "digest_sent", detail + (f" ({err})" if err else ""),
                  source="cli")
            (res.failed.append((m, err)) if err else res.sent.append(m))
            if on_message:
                on_message(m, err)
    finally:
        mail.close(session)
    return res


def _send_one(session, smtp: mail.SmtpSettings, m: OutMessage) -> str | None:
    try:
        mail.send(session, smtp, mail.build_email(smtp, m.recipient, m.subject, m.text, m.html,
                                                  m.attachment() if m.attachment else None))
    except mail.MailError as exc:
        return str(exc)
    return None
