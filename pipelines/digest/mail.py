"""E-mail for the digest: the settings (config/digest.yaml), building a message, and one SMTP session.

The SMTP password is read only from the environment variable named in ``smtp.password_env``; it is
never written to a file, a log or the audit log. Errors become ``MailError`` with one sentence in
Bahasa Indonesia (no traceback).
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from pipelines.masterdata import ConfigError, read_yaml
from pipelines.officers.register import OfficerError, normalize_email

CONFIG_FILE = "digest.yaml"
SECURITY = ("starttls", "tls", "none")


class MailError(RuntimeError):
    """Sending failed (message in Bahasa Indonesia, without the password)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_env: str = "MONEV_SMTP_PASSWORD"
    sender: str = "Monev Pengaduan <monev-pengaduan@localhost>"
    reply_to: str = ""
    timeout_seconds: float = 30.0

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class DigestSettings:
    dashboard_url: str
    smtp: SmtpSettings
    koordinator: tuple[str, ...]
    pimpinan: tuple[str, ...]
    whatsapp_items: int = 3


def _addresses(raw: Any, where: str) -> tuple[str, ...]:
    out = []
    for a in raw or []:
        try:
            e = normalize_email(a)
        except OfficerError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if e:
            out.append(e)
    return tuple(dict.fromkeys(out))


def load_settings(config_dir: Path) -> DigestSettings:
    """``config/digest.yaml`` (defaults when absent); a wrong value is refused naming the key."""
    path = Path(config_dir) / CONFIG_FILE
    raw = read_yaml(path) if path.exists() else {}
    s = dict(raw.get("smtp") or {})
    unknown = set(s) - set(SmtpSettings.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"{path}: kunci smtp tidak dikenal: {', '.join(sorted(unknown))}.")
    smtp = SmtpSettings(**{k: v for k, v in s.items() if v is not None})
    if smtp.security not in SECURITY:
        raise ConfigError(f"{path}: smtp.security '{smtp.security}' tidak dikenal; pilih {', '.join(SECURITY)}.")
    try:
        smtp = SmtpSettings(**{**smtp.__dict__, "port": int(smtp.port), "timeout_seconds": float(smtp.timeout_seconds)})
    except (TypeError, ValueError):
        raise ConfigError(f"{path}: smtp.port dan smtp.timeout_seconds harus angka.") from None
    if "@" not in parseaddr(smtp.sender)[1]:
        raise ConfigError(f"{path}: smtp.sender '{smtp.sender}' bukan alamat e-mail (mis. Monev <monev@kota.go.id>).")
    rec = dict(raw.get("recipients") or {})
    wa = dict(raw.get("whatsapp") or {})
    return DigestSettings(
        dashboard_url=str(raw.get("dashboard_url") or "http://localhost:8501"),
        smtp=smtp,
        koordinator=_addresses(rec.get("koordinator"), f"{path}: recipients.koordinator"),
        pimpinan=_addresses(rec.get("pimpinan"), f"{path}: recipients.pimpinan"),
        whatsapp_items=int(wa.get("max_items") or 3),
    )


def build_email(smtp: SmtpSettings, to: str, subject: str, text: str, html: str,
                attachment: tuple[str, bytes] | None) -> EmailMessage:
    """Plain text, an HTML alternative and (optionally) a PDF attachment."""
    msg = EmailMessage()
    msg["From"] = smtp.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=(parseaddr(smtp.sender)[1].rpartition("@")[2] or "localhost"))
    if smtp.reply_to:
        msg["Reply-To"] = smtp.reply_to
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if attachment:
        msg.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
    return msg


def _password(smtp: SmtpSettings) -> str | None:
    if not smtp.username:
        return None
    pw = os.environ.get(smtp.password_env, "")
    if not pw:
        raise MailError(f"Server SMTP {smtp.where} meminta login ({smtp.username}), tetapi variabel lingkungan "
                        f"{smtp.password_env} kosong. Isi kata sandinya di variabel itu (bukan di berkas konfigurasi).")
    return pw


def connect(smtp: SmtpSettings) -> smtplib.SMTP:
    """An open, logged-in SMTP session (STARTTLS, SMTPS or plain as configured)."""
    pw = _password(smtp)
    ctx = ssl.create_default_context()
    try:
        if smtp.security == "tls":
            s: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=ctx)
        else:
            s = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
            if smtp.security == "starttls":
                s.starttls(context=ctx)
        if pw is not None:
            s.login(smtp.username, pw)
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"Server SMTP {smtp.where} menolak login {smtp.username}: periksa nama pengguna dan "
                        f"kata sandi di {smtp.password_env}.") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(_connect_text(smtp, exc)) from None
    return s


def _connect_text(smtp: SmtpSettings, exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        why = "koneksi ditolak (server mati atau port salah)"
    elif isinstance(exc, socket.timeout | TimeoutError):
        why = f"tidak menjawab dalam {smtp.timeout_seconds:g} detik"
    elif isinstance(exc, socket.gaierror):
        why = "nama server tidak dikenal"
    elif isinstance(exc, ssl.SSLError | smtplib.SMTPNotSupportedError):
        why = f"TLS gagal ({type(exc).__name__}); periksa smtp.security ({smtp.security}) dan port"
    else:
        why = f"{type(exc).__name__}: {exc}"
    return f"Server SMTP {smtp.where} tidak dapat dihubungi: {why}."


def send(session: smtplib.SMTP, smtp: SmtpSettings, msg: EmailMessage) -> None:
    try:
        refused = session.send_message(msg)
    except smtplib.SMTPRecipientsRefused:
        raise MailError(f"Server SMTP {smtp.where} menolak alamat tujuan.") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"Pengiriman lewat {smtp.where} gagal: {type(exc).__name__}: {exc}") from None
    if refused:
        raise MailError(f"Server SMTP {smtp.where} menolak alamat tujuan.")


def close(session: smtplib.SMTP | None) -> None:
    if session is None:
        return
    try:
        session.quit()
    except (OSError, smtplib.SMTPException):
        session.close()
