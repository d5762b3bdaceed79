"""Shared fixtures: one migrated database per run (SQLite, or PostgreSQL when
PORTAL_TEST_DATABASE_URL is set), emptied after every test."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db, limiter

TEST_DATABASE_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Argon2 with test-sized parameters: the real ones cost ~50 ms a hash by design."""
    from portal.accounts import passwords

    real = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = real


def _reset_postgresql(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(autouse=True)
def _push_request_context() -> None:
    """Replace pytest-flask's fixture: a request context held open for the whole test
    would make every request of the test share one ``g`` and one database session."""


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Replace pytest-flask's client, which keeps the last request's context pushed:
    a second client in the same test would then share its ``g`` (and its signed-in
    user), which no two real browsers do."""
    return app.test_client()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application on a freshly migrated database."""
    root = tmp_path_factory.mktemp("portal")
    url = TEST_DATABASE_URL or f"sqlite:///{root / 'test.sqlite3'}"
    if TEST_DATABASE_URL:
        _reset_postgresql(url)
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "PORTAL_DATA_DIR": root / "data",
            "INSTANCE_DIR": root,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-1234567890",
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": None,
            "PORTAL_DEVELOPMENT": True,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean(app: Flask) -> Iterator[None]:
    """Empty every table, the outbox and the rate-limit counters after each test."""
    yield
    limiter.reset()
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
    outbox = Path(app.config["PORTAL_DATA_DIR"]) / "outbox"
    for message in outbox.glob("*.eml"):
        message.unlink()


@pytest.fixture
def demo(app: Flask) -> list[tuple[str, str]]:
    """Load the demo tenants, users and procedures."""
    from portal.core.uow import commit
    from portal.demo.seed import load_demo

    with app.app_context():
        logins = load_demo()
        commit()
    return logins


@pytest.fixture
def csrf(app: Flask) -> Iterator[None]:
    """Turn CSRF protection on for one test."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def sign_in(client: FlaskClient, email: str, password: str = "madoguchi-demo") -> Any:
    """Sign in through the login form."""
    return client.post("/account/login", data={"email": email, "password": password})


def outbox(app: Flask) -> list[EmailMessage]:
    """The messages written to the outbox, oldest first."""
    folder = Path(app.config["PORTAL_DATA_DIR"]) / "outbox"
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]  # type: ignore[misc]


def link_in(message: EmailMessage) -> str:
    """The path of the first portal link in a message's body."""
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)


class LiveServer:
    """The application served on a real port from a thread (shares the test database)."""

    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """A live server in a thread: pytest-flask's forks, which breaks pooled connections."""
    with LiveServer(app) as server:
        yield server
