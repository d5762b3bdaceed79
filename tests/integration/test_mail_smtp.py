"""Mail goes through a real SMTP server when PORTAL_SMTP_URL is set."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import outbox


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
    message = message_from_bytes(content)
    assert "/account/reset/" in message.get_payload(decode=True).decode("utf-8")
    assert outbox(app) == []


def test_mail_is_not_sent_when_the_request_fails(
    app: Flask, client: FlaskClient, smtp: Recorder
) -> None:
    response = client.post("/account/register", data={"email": "bad", "password": "x"})
    assert response.status_code == 422
    assert smtp.messages == []
