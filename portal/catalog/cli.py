"""``flask procedures …``: export, check and import procedure definitions as files.

For the people who maintain procedures as files (in a repository, reviewed like code)
and for moving a procedure between portals. Output is for operators, in English.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from forms import DefinitionError
from forms.documents import FORMATS, dump_document, format_of, import_document
from forms.translations import missing_translations, translation_summary
from portal.catalog.models import Procedure
from portal.catalog.operations import publish_version, validate_document
from portal.catalog.queries import latest_version
from portal.core.i18n import LOCALES
from portal.core.uow import commit
from portal.extensions import db
from portal.tenants.models import Department, Tenant


def _tenant(slug: str) -> Tenant:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no tenant {slug!r}")
    return tenant


def _procedure(tenant: Tenant, slug: str) -> Procedure | None:
    return db.session.scalar(
        select(Procedure).where(Procedure.tenant_id == tenant.id, Procedure.slug == slug)
    )


def _read(path: Path) -> dict:  # type: ignore[type-arg]
    """Read and check a document file; print every problem and stop on any."""
    try:
        document = import_document(path.read_text("utf-8"), format_of(path.name))
        validate_document(document)  # the route rules too, as publishing does
    except DefinitionError as error:
        for problem in error.problems:
            click.echo(f"{path.name}: {problem}", err=True)
        raise click.exceptions.Exit(1) from error
    return document


def _report(document: dict) -> None:  # type: ignore[type-arg]
    missing = missing_translations(document, LOCALES)
    for locale, (count, total) in translation_summary(document, LOCALES).items():
        click.echo(f"{locale}: {count} of {total} texts missing")
        for path in missing[locale]:
            click.echo(f"  {path}")


def register(app: Flask) -> None:
    """Attach the ``procedures`` command group."""

    @app.cli.group("procedures")
    def procedures() -> None:
        """Export, check and import procedure definitions (JSON or YAML)."""

    @procedures.command("export")
    @click.argument("tenant_slug")
    @click.argument("procedure_slug")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="yaml")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
    def export(tenant_slug: str, procedure_slug: str, fmt: str, output: Path | None) -> None:
        """Write the latest published version of a procedure."""
        found = _procedure(_tenant(tenant_slug), procedure_slug)
        version = latest_version(found) if found else None
        if version is None:
            raise click.ClickException(f"no published procedure {procedure_slug!r}")
        text = dump_document(version.document, fmt)
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, "utf-8")
            click.echo(f"version {version.number} written to {output}", err=True)

    @procedures.command("check")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def check(path: Path) -> None:
        """Check a file against the schema and the rules; report missing translations."""
        document = _read(path)
        click.echo(f"{path.name}: valid")
        _report(document)

    @procedures.command("import")
    @click.argument("tenant_slug")
    @click.argument("procedure_slug")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--department", help="Department name, for a new procedure.")
    def import_(tenant_slug: str, procedure_slug: str, path: Path, department: str | None) -> None:
        """Publish a file as the next version of a procedure (created if new)."""
        document = _read(path)
        tenant = _tenant(tenant_slug)
        procedure = _procedure(tenant, procedure_slug) or _new(tenant, procedure_slug, department)
        before = latest_version(procedure)
        version = publish_version(procedure, document, actor=None)
        commit()
        if before is not None and before.id == version.id:
            click.echo(f"unchanged: version {version.number} is already this document")
        else:
            click.echo(f"published version {version.number} of {tenant_slug}/{procedure_slug}")


def _new(tenant: Tenant, slug: str, department_name: str | None) -> Procedure:
    query = select(Department).where(Department.tenant_id == tenant.id)
    if department_name:
        query = query.where(Department.name_ja == department_name)
    department = db.session.scalar(query.order_by(Department.id).limit(1))
    if department is None:
        raise click.ClickException(f"no department {department_name!r} in {tenant.slug}")
    procedure = Procedure(tenant_id=tenant.id, slug=slug, department_id=department.id)
    db.session.add(procedure)
    db.session.flush()
    return procedure
