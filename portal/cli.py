"""Command-line tools: ``flask --app wsgi demo-data`` and friends."""

from __future__ import annotations

import click
from flask import Flask


def register_commands(app: Flask) -> None:
    """Attach the portal's commands to the ``flask`` CLI."""
    from portal.catalog import cli as catalog_cli

    catalog_cli.register(app)

    @app.cli.command("demo-data")
    def demo_data() -> None:
        """Load the demo tenants, users and procedures (safe to run again)."""
        from portal.core.uow import commit
        from portal.demo.seed import DEMO_PASSWORD, load_demo

        logins = load_demo()
        commit()
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for email, description in logins:
            click.echo(f"  {email:<32} {description}")

    @app.cli.command("prune-files")
    def prune_files() -> None:
        """Delete attachment files nothing refers to any more (run daily)."""
        from portal.applications.attachments import prune_files as prune

        click.echo(f"{prune()} unused file(s) deleted")

    @app.cli.command("render-pending-notices")
    def render_pending() -> None:
        """Render every notice still pending (after a crash, or from a cron job)."""
        from sqlalchemy import select

        from portal.core.jobs import run_job
        from portal.decisions import tasks  # noqa: F401
        from portal.decisions.models import Notice
        from portal.extensions import db

        ids = list(db.session.scalars(select(Notice.id).where(Notice.state == "pending")))
        for notice_id in ids:
            run_job("render_notice", notice_id)
        click.echo(f"{len(ids)} notice(s) processed")
