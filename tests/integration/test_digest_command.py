"""The daily digest as cron runs it: ``flask portal digest`` outside any request."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import link_in, outbox
from tests.integration.journey import submit_parking


def test_the_command_mails_staff_with_waiting_steps_and_links_to_the_inbox(
    app: Flask, client: FlaskClient, demo
) -> None:
    reference_id = submit_parking(client)
    assert reference_id
    before = len(outbox(app))
    app.config["PORTAL_BASE_URL"] = "https://madoguchi.example.jp"
    result = app.test_cli_runner().invoke(args=["portal", "digest"])
    assert result.exit_code == 0, result.output
    sent = outbox(app)[before:]
    assert result.output.strip() == f"{len(sent)} digest(s) sent"
    digests = {message["To"]: message for message in sent}
    # The parking permit waits at review, a step of every reviewer of the prefecture.
    digest = digests["reviewer@pref.example.jp"]
    assert "処理待ち1件" in digest["Subject"]
    body = digest.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "https://madoguchi.example.jp/staff/midori-pref/inbox" in body
    assert link_in(digest) == "/staff/midori-pref/inbox"
    # Nothing waits for the approvers of the other governments: they get no mail.
    assert "approver@aoba.example.jp" not in digests
