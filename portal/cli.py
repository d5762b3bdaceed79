"""Command-line tools: ``flask --app wsgi demo-data`` and friends."""

from __future__ import annotations

import click
from flask import Flask


def register_commands(app: Flask) -> None:
    """Attach the portal's commands to the ``flask`` CLI."""
    from portal.catalog import cli as catalog_cli

    catalog_cli.register(app)
    _register_portal_group(app)

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
        """Render every notice still pending or failed (after a crash, or from cron).

        Runs here, inline, whatever PORTAL_TASK_QUEUE says: it also works while the
        task queue is down. A notice that fails again keeps its error for staff.
        """
        from sqlalchemy import select

        from portal.core.jobs import run_job
        from portal.decisions import tasks  # noqa: F401
        from portal.decisions.models import Notice
        from portal.extensions import db

        waiting = select(Notice.id).where(Notice.state.in_(("pending", "failed")))
        ids = list(db.session.scalars(waiting.order_by(Notice.id)))
        ready = sum(run_job("render_notice", notice_id) for notice_id in ids)
        click.echo(f"{len(ids)} notice(s) processed, {ready} ready, {len(ids) - ready} failed")


def _register_portal_group(app: Flask) -> None:
    """Attach ``flask portal …``: the portal's own maintenance commands, by area."""

    @app.cli.group("portal")
    def portal() -> None:
        """Maintenance commands of the portal."""

    @portal.command("digest")
    def digest() -> None:
        """E-mail each member of staff their open and overdue steps (run daily, mornings)."""
        from portal.core.uow import commit
        from portal.review.digest import send_digests

        sent = send_digests()
        commit()
        click.echo(f"{sent} digest(s) sent")

    @portal.group("audit")
    def audit() -> None:
        """The hash-chained audit trails of applications."""

    @audit.command("verify")
    @click.option(
        "--reference", "references", multiple=True, help="Check only this application (repeatable)."
    )
    def verify(references: tuple[str, ...]) -> None:
        """Report every changed, missing or unlinked event; exit with 1 when there is one."""
        from portal.applications.audit import audit_trails

        result = audit_trails(_application_ids(references) if references else None)
        checked = f"{result.applications} application(s), {result.events} event(s) checked"
        for problem in result.problems:
            click.echo(f"{problem.reference} [{problem.kind}] {problem.message}")
        if not result.problems:
            click.echo(f"{checked}: no problems")
            return
        click.echo(f"{checked}: {len(result.problems)} problem(s)")
        raise click.exceptions.Exit(1)


def _application_ids(references: tuple[str, ...]) -> list[int]:
    """The ids of submitted applications by reference; stop on one that does not exist."""
    from sqlalchemy import select

    from portal.applications.models import Application
    from portal.extensions import db

    query = select(Application.reference, Application.id).where(
        Application.reference.in_(references)
    )
    found = dict(db.session.execute(query).all())
    unknown = [reference for reference in references if reference not in found]
    if unknown:
        raise click.ClickException(f"no application {', '.join(unknown)}")
    return list(found.values())
