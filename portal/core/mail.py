"""Outgoing e-mail: an outbox folder of .eml files by default, SMTP when configured."""

from __future__ import annotations

import re
import smtplib
import ssl
import uuid
from contextlib import nullcontext
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from portal.core.i18n import babel_locale, html_lang
from portal.core.uow import after_commit


def outbox_dir() -> Path:
    """Return the folder where mail is written when no SMTP server is configured."""
    path = Path(current_app.config["PORTAL_DATA_DIR"]) / "outbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def send_mail(to: str, template: str, *, locale: str | None = None, **context: Any) -> None:
    """Render ``emails/<template>.txt`` now and send it after the commit.

    It is written in ``locale`` (the recipient's language; a member of staff deciding
    in Japanese still writes to a resident in English), else in the current locale.
    The first line of the rendered template is the subject; the rest is the body. The
    message has a plain-text part and the same text as HTML. Nothing is sent to an
    address of the reserved ``.invalid`` domain: residents registered at the counter
    without an e-mail address have one (their notices go by post).
    """
    if to.lower().endswith(".invalid"):
        return
    with force_locale(babel_locale(locale)) if locale else nullcontext():
        rendered = render_template(f"emails/{template}.txt", **context).strip()
    subject, _, body = rendered.partition("\n")
    message = EmailMessage()
    message["From"] = current_app.config["PORTAL_MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject.strip()
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="madoguchi.invalid")
    message.set_content(body.strip() + "\n")
    message.add_alternative(_as_html(subject.strip(), body.strip(), locale), subtype="html")
    smtp_url = current_app.config["PORTAL_SMTP_URL"]
    folder = None if smtp_url else outbox_dir()
    after_commit(lambda: _deliver(message, smtp_url, folder))


_URL = re.compile(r"https?://[^\s<>\"']+")


def _as_html(subject: str, body: str, locale: str | None) -> str:
    """The message as simple HTML: paragraphs, line breaks and working links."""
    paragraphs = []
    for block in body.split("\n\n"):
        lines = [_linked(line) for line in block.strip().splitlines()]
        paragraphs.append(f"<p>{Markup('<br>').join(lines)}</p>")
    lang = escape(html_lang(locale))
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head>"
        '<body style="font-family: sans-serif; line-height: 1.7">'
        f"{''.join(paragraphs)}</body></html>"
    )


def _linked(line: str) -> Markup:
    """Escape a line and turn its addresses into links."""
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(line):
        parts.append(escape(line[position : match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(match.group()))
        position = match.end()
    parts.append(escape(line[position:]))
    return Markup("").join(parts)


def _deliver(message: EmailMessage, smtp_url: str | None, folder: Path | None) -> None:
    if smtp_url:
        _send_smtp(message, smtp_url)
    elif folder is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(bytes(message))
        tmp.rename(target)


def _send_smtp(message: EmailMessage, url: str) -> None:
    parts = urlsplit(url)
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            parts.hostname or "", parts.port or 465, context=context, timeout=30
        )
    else:
        client = smtplib.SMTP(parts.hostname or "", parts.port or 587, timeout=30)
    with client:
        if parts.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls(context=context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)


def read_outbox() -> list[tuple[str, EmailMessage]]:
    """Return the messages in the outbox folder, newest first (for the dev mail page)."""
    from email import policy
    from email.parser import BytesParser

    parser = BytesParser(policy=policy.default)
    messages = []
    for path in sorted(outbox_dir().glob("*.eml"), reverse=True):
        messages.append((path.name, parser.parsebytes(path.read_bytes())))
    return messages  # type: ignore[return-value]
