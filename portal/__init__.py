"""Madoguchi: the Flask application that adapts the engines to the web."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import ROOT, ConfigError, load_config

__all__ = ["ConfigError", "create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings from the environment, then ``config`` overrides."""
    settings = load_config()
    settings.update(config or {})
    app = Flask(
        __name__,
        instance_path=str(settings["INSTANCE_DIR"]),
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(settings)
    _init_extensions(app)
    _register_blueprints(app)
    _check_registries()
    if app.config["PORTAL_BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    return app


def _init_extensions(app: Flask) -> None:
    from portal.core import i18n, labels, uow
    from portal.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"
    uow.init_app(app)
    # Globals rather than context processors, so imported macros see them too.
    app.jinja_env.globals.update(i18n.template_helpers())
    app.jinja_env.globals.update(labels.helpers())
    from portal.catalog.definitions import computed_rows

    app.jinja_env.globals["computed_rows"] = computed_rows
    from forms.conditions import condition_data
    from forms.fields import field_type, files, groups
    from forms.japan import PREFECTURES

    app.jinja_env.globals["prefectures"] = PREFECTURES
    app.jinja_env.globals["file_size"] = files.format_size
    app.jinja_env.globals["file_kinds"] = files
    app.jinja_env.globals["groups"] = groups
    app.jinja_env.globals["field_type"] = field_type
    app.jinja_env.globals["condition_json"] = lambda condition: json.dumps(
        condition_data(condition), ensure_ascii=False
    )
    app.context_processor(_staff_context)
    from portal import models  # noqa: F401  (every model registered on the metadata)


def _register_blueprints(app: Flask) -> None:
    import portal.review.trail_views  # noqa: F401  (routes on the review blueprint)
    from portal.accounts.views import bp as accounts
    from portal.admin.views import bp as admin
    from portal.applications.views import bp as applications
    from portal.builder import (  # noqa: F401  (routes on the builder blueprint)
        condition_views,
        notice_views,
        preview_views,
        question_views,
        route_views,
        transfer_views,
        translation_views,
    )
    from portal.builder.views import bp as builder
    from portal.catalog.views import bp as catalog
    from portal.decisions.views import bp as decisions
    from portal.dev.views import bp as dev
    from portal.display.views import bp as display
    from portal.review import (  # noqa: F401  (routes on the review blueprint)
        counter_views,
        file_views,
    )
    from portal.review.views import bp as review
    from portal.verification.views import bp as verification

    for blueprint in (
        catalog,
        accounts,
        applications,
        review,
        builder,
        admin,
        decisions,
        verification,
        dev,
        display,
    ):
        app.register_blueprint(blueprint)
    from portal.cli import register_commands
    from portal.errors import register_error_handlers

    register_commands(app)
    register_error_handlers(app)


def _check_registries() -> None:
    from forms import check_registry
    from forms.definition import schema_field_types

    check_registry(schema_field_types())


def _staff_context() -> dict[str, Any]:
    """Whether to show the staff inbox link: only for members of staff."""
    from flask import has_request_context
    from flask_login import current_user

    from portal.tenants.queries import staff_tenants

    # Mail rendered by a command (the daily digest) has no signed-in user.
    if not has_request_context() or not current_user.is_authenticated:
        return {"staff_tenants": []}
    return {"staff_tenants": staff_tenants(current_user)}
