"""Settings come from the environment, with safe defaults, and bad ones stop start-up."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from portal.config import ROOT, ConfigError, load_config


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"PORTAL_INSTANCE_DIR": str(tmp_path / "instance"), **values}


def test_defaults_are_sqlite_under_instance(tmp_path: Path) -> None:
    config = load_config(env(tmp_path))
    assert (
        config["SQLALCHEMY_DATABASE_URI"]
        == f"sqlite:///{tmp_path / 'instance' / 'madoguchi.sqlite3'}"
    )
    assert config["PORTAL_DATA_DIR"] == tmp_path / "instance" / "data"
    assert config["SESSION_COOKIE_SECURE"] is True  # production is the default
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["PORTAL_SMTP_URL"] is None


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    first = load_config(env(tmp_path))["SECRET_KEY"]
    second = load_config(env(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 48
    mode = stat.S_IMODE((tmp_path / "instance" / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert load_config(env(tmp_path / "other"))["SECRET_KEY"] != first


def test_secret_key_from_environment(tmp_path: Path) -> None:
    key = "k" * 40
    assert load_config(env(tmp_path, PORTAL_SECRET_KEY=key))["SECRET_KEY"] == key
    assert not (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PORTAL_SECRET_KEY", "short", "at least 32"),
        ("PORTAL_DATABASE_URL", "mysql://x/y", "PORTAL_DATABASE_URL"),
        ("PORTAL_DATABASE_URL", "not a url", "PORTAL_DATABASE_URL"),
        ("PORTAL_ENV", "staging", "PORTAL_ENV"),
        ("PORTAL_SMTP_URL", "http://mail.example.jp", "PORTAL_SMTP_URL"),
        ("PORTAL_SECURE_COOKIES", "maybe", "PORTAL_SECURE_COOKIES"),
    ],
)
def test_invalid_settings_are_refused_clearly(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(env(tmp_path, **{name: value}))


def test_unwritable_data_dir_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="PORTAL_DATA_DIR"):
        load_config(env(tmp_path, PORTAL_DATA_DIR=str(blocker / "data")))


def test_postgresql_urls_use_psycopg3(tmp_path: Path) -> None:
    config = load_config(env(tmp_path, PORTAL_DATABASE_URL="postgresql://u@h/db"))
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_development_turns_secure_cookies_off_unless_asked(tmp_path: Path) -> None:
    assert load_config(env(tmp_path, PORTAL_ENV="development"))["SESSION_COOKIE_SECURE"] is False
    forced = load_config(env(tmp_path, PORTAL_ENV="development", PORTAL_SECURE_COOKIES="1"))
    assert forced["SESSION_COOKIE_SECURE"] is True


def test_wsgi_stops_with_a_clear_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env(tmp_path, PORTAL_DATABASE_URL="oracle://x")},
        check=False,
    )
    assert result.returncode == 1
    assert "Madoguchi cannot start: PORTAL_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
