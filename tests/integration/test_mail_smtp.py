"""Mail goes through a real SMTP server when PORTAL_SMTP_URL is set."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import outbox, sign_in
from tests.integration.journey import act, load, submit_parking


class Recorder:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(app: Flask) -> Iterator[Recorder]:
    recorder = Recorder()
    with socket.socket() as probe:  # aiosmtpd checks readiness on its port, so not port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    app.config["PORTAL_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield recorder
    app.config["PORTAL_SMTP_URL"] = None
    controller.stop()


def test_mail_is_sent_over_smtp_not_to_the_outbox(
    app: Flask, client: FlaskClient, demo, smtp: Recorder
) -> None:
    client.post("/account/forgot", data={"email": "resident@example.jp"})
    [(sender, recipients, content)] = smtp.messages
    assert recipients == ["resident@example.jp"]
    assert "no-reply" in sender
    text, html = _parts(content)
    assert "/account/reset/" in text
    assert '<a href="http://localhost/account/reset/' in html
    assert outbox(app) == []


def _parts(content: bytes) -> tuple[str, str]:
    """The plain-text and HTML bodies of a message as received."""
    message = message_from_bytes(content, policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_a_decision_is_mailed_in_the_residents_language(
    app: Flask, client: FlaskClient, demo, smtp: Recorder
) -> None:
    sign_in(client, "resident@example.jp")
    client.get("/language/en")  # the resident reads English
    ident = submit_parking(client, email="resident@example.jp")
    client.post("/account/logout")
    for email, action in (
        ("reviewer@pref.example.jp", "pass"),
        ("approver@pref.example.jp", "approve"),
    ):
        sign_in(client, email)
        client.get("/language/ja")  # staff work in Japanese
        act(client, ident, action, load(app, ident).lock_version)
        client.post("/account/logout")
    decision = message_from_bytes(smtp.messages[-1][2], policy=policy.default)
    assert decision["To"] == "resident@example.jp"
    assert decision["Subject"].isascii(), decision["Subject"]  # English, not Japanese
    text, html = _parts(smtp.messages[-1][2])
    assert (
        f"/applications/{ident}" in text and f'href="http://localhost/applications/{ident}"' in html
    )
    assert '<html lang="en">' in html


def test_mail_is_not_sent_when_the_request_fails(
    app: Flask, client: FlaskClient, smtp: Recorder
) -> None:
    response = client.post("/account/register", data={"email": "bad", "password": "x"})
    assert response.status_code == 422
    assert smtp.messages == []
