"""Settings from the environment (PORTAL_*), with safe defaults, checked at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENTS = ("production", "development")
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")
SMTP_SCHEMES = ("smtp", "smtps")
TASK_QUEUES = ("inline", "celery")
REDIS_SCHEMES = ("redis", "rediss", "unix")


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def load_config(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask configuration from environment variables, validating each one."""
    env = os.environ if env is None else env
    instance = Path(env.get("PORTAL_INSTANCE_DIR") or ROOT / "instance").resolve()
    mode = env.get("PORTAL_ENV", "production")
    if mode not in ENVIRONMENTS:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {mode!r}")
    development = mode == "development"
    secure = _flag(env, "PORTAL_SECURE_COOKIES", default=not development)
    data_dir = Path(env.get("PORTAL_DATA_DIR") or instance / "data").resolve()
    return {
        "PORTAL_ENV": mode,
        "PORTAL_DEVELOPMENT": development,
        "INSTANCE_DIR": instance,
        "SECRET_KEY": _secret_key(env, instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(env, instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PORTAL_DATA_DIR": _writable_dir(data_dir, "PORTAL_DATA_DIR"),
        "PORTAL_SMTP_URL": _smtp_url(env),
        "PORTAL_MAIL_FROM": env.get("PORTAL_MAIL_FROM", "Madoguchi <no-reply@madoguchi.invalid>"),
        "PORTAL_BEHIND_PROXY": _flag(env, "PORTAL_BEHIND_PROXY", default=False),
        # The electronic seal (see portal/pdf/seal.py); unset paths live under instance/.
        "PORTAL_SEAL_PKCS12": env.get("PORTAL_SEAL_PKCS12") or None,
        "PORTAL_SEAL_PASSPHRASE": env.get("PORTAL_SEAL_PASSPHRASE") or None,
        "PORTAL_SEAL_TRUST": env.get("PORTAL_SEAL_TRUST") or None,
        "PORTAL_TSA_URL": env.get("PORTAL_TSA_URL") or None,
        # Rate limits: counted in memory (one process) or in Redis (several).
        "RATELIMIT_STORAGE_URI": env.get("PORTAL_RATELIMIT_STORAGE", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Background jobs (notice rendering): inline after the commit, or on Celery workers
        # over Redis (portal/worker.py); the Redis URL is only used with celery.
        "PORTAL_TASK_QUEUE": _task_queue(env),
        "PORTAL_REDIS_URL": _redis_url(env),
        # Seconds before a queued job's second try; each later try waits twice as long.
        "PORTAL_TASK_RETRY_DELAY": _seconds(env, "PORTAL_TASK_RETRY_DELAY", default=30),
        # Links in mail sent outside a request (the daily digest) start with this.
        "PORTAL_BASE_URL": env.get("PORTAL_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "BABEL_DEFAULT_LOCALE": "ja",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Tokyo",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    }


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 or 0 (true/false), not {value!r}")


def _database_url(env: Mapping[str, str], instance: Path) -> str:
    url = env.get("PORTAL_DATABASE_URL")
    if not url:
        _writable_dir(instance, "PORTAL_INSTANCE_DIR")
        return f"sqlite:///{instance / 'madoguchi.sqlite3'}"
    scheme = urlsplit(url).scheme
    if scheme not in DATABASE_SCHEMES:
        raise ConfigError(
            f"PORTAL_DATABASE_URL must start with sqlite:// or postgresql+psycopg://, "
            f"got {scheme or 'no scheme'!r}"
        )
    if scheme == "postgresql":
        # psycopg 3 is the driver we install; plain postgresql:// would pick psycopg2.
        url = "postgresql+psycopg" + url[len("postgresql") :]
    return url


def _secret_key(env: Mapping[str, str], instance: Path) -> str:
    key = env.get("PORTAL_SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("PORTAL_SECRET_KEY must be at least 32 characters long")
        return key
    path = _writable_dir(instance, "PORTAL_INSTANCE_DIR") / "secret_key"
    if not path.exists():
        # Created once with owner-only permissions; every later start reads the same key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _smtp_url(env: Mapping[str, str]) -> str | None:
    url = env.get("PORTAL_SMTP_URL") or None
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise ConfigError("PORTAL_SMTP_URL must look like smtp://user:password@host:587")
    return url


def _task_queue(env: Mapping[str, str]) -> str:
    queue = env.get("PORTAL_TASK_QUEUE") or "inline"
    if queue not in TASK_QUEUES:
        raise ConfigError(
            f"PORTAL_TASK_QUEUE must be one of {', '.join(TASK_QUEUES)}, not {queue!r}"
        )
    return queue


def _redis_url(env: Mapping[str, str]) -> str:
    url = env.get("PORTAL_REDIS_URL") or "redis://127.0.0.1:6379/0"
    if urlsplit(url).scheme not in REDIS_SCHEMES:
        raise ConfigError("PORTAL_REDIS_URL must look like redis://host:6379/0")
    return url


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit():
        raise ConfigError(f"{name} must be a whole number of seconds, not {value!r}")
    return int(value)


def _writable_dir(path: Path, name: str) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{name}: cannot create {path}: {error.strerror}") from error
    if not os.access(path, os.W_OK):
        raise ConfigError(f"{name}: {path} is not writable")
    return path
