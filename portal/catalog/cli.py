"""``flask procedures …``: export, check and import procedure definitions as files.

For the people who maintain procedures as files (in a repository, reviewed like code)
and for moving a procedure between portals. Output is for operators, in English.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask
from sqlalchemy import select

from forms import DefinitionError
from forms.documents import FORMATS, MAX_BYTES, dump_document, format_of, load_document
from forms.translations import missing_translations, translation_summary
from portal.catalog.models import Procedure
from portal.catalog.operations import publish_version, validate_document
from portal.catalog.queries import latest_version, procedure_by_slug
from portal.core.i18n import LOCALES
from portal.core.uow import commit
from portal.extensions import db
from portal.tenants.models import Department, Tenant
from portal.tenants.queries import tenant_by_slug

# Slugs end up in URLs (/procedures/<tenant>/<slug>), so only what needs no escaping.
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SLUG_LENGTH = 60  # the column's length


def _tenant(slug: str) -> Tenant:
    tenant = tenant_by_slug(slug)
    if tenant is None:
        raise click.ClickException(f"no tenant {slug!r}")
    return tenant


def _stop(path: Path, problems: list[str]) -> NoReturn:
    for problem in problems:
        click.echo(f"{path.name}: {problem}", err=True)
    raise click.exceptions.Exit(1)


def _load(path: Path) -> dict[str, Any]:
    """Read a document file; print why it cannot be read and stop."""
    try:
        # Refused before reading, not only before parsing: the file may be huge.
        if path.stat().st_size > MAX_BYTES:
            raise DefinitionError([f"the file is larger than {MAX_BYTES:,} bytes"])
        return load_document(_decode(path.read_bytes()), format_of(path.name))
    except DefinitionError as error:
        _stop(path, error.problems)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"byte offset {error.start}: not UTF-8 text; save the file as UTF-8"
        raise DefinitionError([message]) from error


def _problems(document: dict[str, Any]) -> list[str]:
    """Every problem with a loaded document: schema, form rules and route, as publishing."""
    try:
        validate_document(document)
    except DefinitionError as error:
        return error.problems
    return []


def _report(document: dict[str, Any]) -> None:
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
        """Write the latest published version of a procedure (to standard output by default)."""
        found = procedure_by_slug(_tenant(tenant_slug), procedure_slug)
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
        document = _load(path)
        problems = _problems(document)
        if not problems:
            click.echo(f"{path.name}: valid")
        # Reported either way: translating can go on while a problem is being fixed.
        _report(document)
        if problems:
            _stop(path, problems)

    @procedures.command("import")
    @click.argument("tenant_slug")
    @click.argument("procedure_slug")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--department", help="Department name (in Japanese), for a new procedure.")
    def import_(tenant_slug: str, procedure_slug: str, path: Path, department: str | None) -> None:
        """Publish a file as the next version of a procedure (created if new)."""
        document = _load(path)
        problems = _problems(document)
        if problems:
            _stop(path, problems)
        tenant = _tenant(tenant_slug)
        procedure = procedure_by_slug(tenant, procedure_slug)
        if procedure is None:
            procedure = _new(tenant, procedure_slug, department)
        before = latest_version(procedure)
        version = publish_version(procedure, document, actor=None)
        if before is not None and before.id == version.id:
            click.echo(f"unchanged: version {version.number} is already this document")
            return
        commit()
        click.echo(f"published version {version.number} of {tenant_slug}/{procedure_slug}")


def _new(tenant: Tenant, slug: str, department_name: str | None) -> Procedure:
    if len(slug) > _SLUG_LENGTH or not _SLUG.match(slug):
        raise click.ClickException(
            f"{slug!r} cannot name a new procedure: use a-z, 0-9 and single hyphens "
            f"(at most {_SLUG_LENGTH} characters)"
        )
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
