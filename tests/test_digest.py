"""`monev digest` against a local SMTP server (aiosmtpd on 127.0.0.1) on the demo warehouse at its as-of
date: one message per OPD with work, listing exactly the KPI engine's lists; no personal data of
reporters; a second run sends nothing; with the server down a clear message, and the next run sends
what was missed."""

from __future__ import annotations

import email
import io
import re
import shutil
import socket
import time
from email import policy
from email.message import Message
from pathlib import Path

import duckdb
import polars as pl
import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from pipelines import kpi
from pipelines.auth.audit import list_audit
from pipelines.cli import app
from pipelines.digest.run import date_period, week_period
from pipelines.digest.worklist import due_soon_days, sections
from pipelines.ingest.pii import find_pii
from pipelines.officers import add_officer
from pipelines.settings import Paths

ROOT = Path(__file__).resolve().parents[1]
SECTION_RE = re.compile(r"^(\d)\. (.+) \((\d+)\)$")
ITEM_RE = re.compile(r"^   \d+\) (\S+) · ")


class Collector:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, sink: Collector) -> Controller:
    c = Controller(sink, hostname="127.0.0.1", port=port)
    c.start()
    return c


@pytest.fixture()
def world(demo_data_dir, tmp_path):
    """A copy of the demo (warehouse + state), a config dir whose digest.yaml points at a local server,
    and an officer with an e-mail for every OPD with work but one."""
    data = tmp_path / "data"  # the demo's warehouse with an empty state store (the demo's own register left out)
    shutil.copytree(demo_data_dir / "curated", data / "curated")
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    port = free_port()
    (cfg / "digest.yaml").write_text(
        f"dashboard_url: http://monev.test\nsmtp: {{host: 127.0.0.1, port: {port}, security: none, "
        "sender: 'Monev <monev@pemkot.test>', timeout_seconds: 5}\n"
        "recipients: {koordinator: [kominfo@pemkot.test], pimpinan: [sekda@pemkot.test]}\n", encoding="utf-8")
    paths = Paths(data, cfg)
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    as_of = kpi.resolve_as_of(con, None)
    lists = [kpi.overdue_list(con, limit=100000), kpi.complaint_list(con, status="awaiting_response", limit=100000)]
    if hasattr(kpi, "due_soon_list"):
        lists.append(kpi.due_soon_list(con, limit=100000))
    if hasattr(kpi, "reopened_list"):
        lists.append(kpi.reopened_list(con, limit=100000).filter(pl.col("is_open")))
    with_work = sorted({d for df in lists for d in df["department"].to_list()} - {None})
    for i, dep in enumerate(with_work[:-1]):
        add_officer(paths, dep, name=f"Pejabat {i}", position="Admin penghubung", email=f"pp{i}@opd.test",
                    whatsapp="0812-0000-0000", sk_number=f"188/{i}/2026", sk_date="2026-01-05", by="test")
    yield paths, con, as_of, with_work, port
    con.close()


def run(paths: Paths, *args: str):
    return CliRunner().invoke(app, ["digest", "--data-dir", str(paths.data_dir), "--config-dir",
                                    str(paths.config_dir), *args])


def text_part(m: Message) -> str:
    return next(p.get_content() for p in m.walk() if p.get_content_type() == "text/plain")


def listed_ids(text: str, due_days: int) -> dict[str, list[str]]:
    titles = {s.title.upper(): s.key for s in sections(due_days)}
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if (h := SECTION_RE.match(line)) is not None:
            current = titles.get(h.group(2))
            if current:
                out[current] = []
        elif current and (it := ITEM_RE.match(line)):
            out[current].append(it.group(1))
    return out


def all_text(m: Message) -> str:
    from pypdf import PdfReader

    parts = []
    for p in m.walk():
        ct = p.get_content_type()
        if ct in ("text/plain", "text/html"):
            parts.append(p.get_payload(decode=True).decode("utf-8"))
        elif ct == "application/pdf":
            parts += [pg.extract_text() for pg in PdfReader(io.BytesIO(p.get_payload(decode=True))).pages]
    return "\n".join(parts)


def test_digest_sends_the_engines_lists_once_and_recovers_after_a_failure(world):
    paths, con, as_of, with_work, port = world
    sink = Collector()
    ctl = start(port, sink)
    try:
        dry = run(paths, "--tanggal", as_of.isoformat(), "--dry-run")
        assert dry.exit_code == 0, dry.output
        assert dry.output.count("[akan dikirim]") == len(with_work) - 1 + 2
        assert f"[tidak terkirim] {with_work[-1]}" in dry.output and not sink.messages

        res = run(paths, "--tanggal", as_of.isoformat())
        assert res.exit_code == 0, res.output
    finally:
        ctl.stop()
    opd_msgs = [m for m in sink.messages if m["To"].endswith("@opd.test")]
    due_soon_seen = 0
    assert len(opd_msgs) == len(with_work) - 1 and len(sink.messages) == len(with_work) + 1
    for i, dep in enumerate(with_work[:-1]):
        (m,) = [m for m in opd_msgs if m["To"] == f"pp{i}@opd.test"]
        assert dep in m["Subject"]
        got = listed_ids(text_part(m), due_soon_days(con, as_of))
        f = {"department": [dep]}
        assert got["overdue"] == kpi.overdue_list(con, as_of=as_of, filters=f, limit=100000)["source_id"].to_list()
        want = kpi.complaint_list(con, as_of=as_of, filters=f, status="awaiting_response", limit=100000)
        assert sorted(got["awaiting"]) == sorted(want["source_id"].to_list())
        if hasattr(kpi, "due_soon_list"):  # the engine's due_soon (kpi-spec.md)
            soon = kpi.due_soon_list(con, as_of=as_of, filters=f, limit=100000)["source_id"].to_list()
            assert got["due_soon"] == soon
            due_soon_seen += len(soon)
        assert {p.get_content_type() for p in m.walk()} >= {"text/plain", "text/html", "application/pdf"}
    assert due_soon_seen > 0 or not hasattr(kpi, "due_soon_list")
    for m in sink.messages:  # reporters' phone numbers, NIK and e-mail never appear (bodies and PDFs)
        assert find_pii(all_text(m)) == [], m["To"]
    coord = next(m for m in sink.messages if m["To"] == "kominfo@pemkot.test")
    assert with_work[-1] in text_part(coord)  # the OPD nobody could be told about is named to the koordinator

    # a second run sends nothing
    sink2 = Collector()
    ctl = start(port, sink2)
    try:
        again = run(paths, "--tanggal", as_of.isoformat())
    finally:
        ctl.stop()
    assert again.exit_code == 0 and sink2.messages == [] and "0 terkirim" in again.output

    # the last OPD gets an officer; the server is down: a clear message, no traceback
    add_officer(paths, with_work[-1], name="Pejabat Akhir", position="Admin", email="akhir@opd.test",
                sk_number="188/99/2026", sk_date="2026-02-01", by="test")
    down = run(paths, "--tanggal", as_of.isoformat())
    assert down.exit_code == 1
    assert "tidak dapat dihubungi" in down.output and "jalankan perintah yang sama lagi" in down.output
    assert "Traceback" not in down.output and down.exception is None or isinstance(down.exception, SystemExit)
    failed = list_audit(paths, action="digest_failed")
    assert len(failed) == 1 and with_work[-1] in failed[0].detail

    sink3 = Collector()
    ctl = start(port, sink3)
    try:
        time.sleep(0.1)
        back = run(paths, "--tanggal", as_of.isoformat())
    finally:
        ctl.stop()
    assert back.exit_code == 0, back.output
    assert [m["To"] for m in sink3.messages] == ["akhir@opd.test"]
    assert len(list_audit(paths, action="digest_sent")) == len(with_work) + 2


def test_digest_periods():
    w = week_period("2026-w49")
    assert (w.key, w.end.isoformat()) == ("2026-W49", "2026-12-06")
    assert w.label == "Minggu 2026-W49 (30 November 2026 – 6 Desember 2026)"
    assert date_period("2026-10-30").key == "2026-10-30"


def test_a_date_after_the_data_is_refused(world):
    paths, _con, as_of, _w, _p = world
    res = run(paths, "--tanggal", "2099-01-01", "--dry-run")
    assert res.exit_code == 1 and "sesudah tanggal data gudang" in res.output and "Traceback" not in res.output
    ok = run(paths, "--minggu", "2099-W01", "--dry-run")  # a week ahead: the data's own date
    assert ok.exit_code == 0 and f"data per {as_of.day}" in ok.output


def test_mail_settings_are_checked(tmp_path, monkeypatch):
    from pipelines.digest import mail
    from pipelines.masterdata import ConfigError

    (tmp_path / "digest.yaml").write_text("smtp: {security: ssl}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="smtp.security 'ssl' tidak dikenal"):
        mail.load_settings(tmp_path)
    (tmp_path / "digest.yaml").write_text("smtp: {sender: monev}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bukan alamat e-mail"):
        mail.load_settings(tmp_path)
    (tmp_path / "digest.yaml").write_text("recipients: {koordinator: [kominfo@]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="recipients.koordinator"):
        mail.load_settings(tmp_path)
    (tmp_path / "digest.yaml").write_text(
        "smtp: {host: 127.0.0.1, port: 1, username: monev, password_env: TEST_SMTP_PW}\n", encoding="utf-8")
    s = mail.load_settings(tmp_path)
    monkeypatch.delenv("TEST_SMTP_PW", raising=False)
    with pytest.raises(mail.MailError, match="TEST_SMTP_PW kosong"):  # the password only from the environment
        mail.connect(s.smtp)
    monkeypatch.setenv("TEST_SMTP_PW", "rahasia")
    with pytest.raises(mail.MailError, match="127.0.0.1:1 tidak dapat dihubungi") as err:
        mail.connect(s.smtp)
    assert "rahasia" not in str(err.value)
