"""``flask procedures``: export, check and import definitions as files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from forms.documents import load_document
from portal.catalog.models import Procedure, ProcedureVersion
from portal.demo.seed import PROCEDURES
from portal.extensions import db
from portal.tenants.models import Tenant


def _versions(tenant_slug: str, slug: str) -> list[int]:
    query = (
        select(ProcedureVersion.number)
        .join(Procedure)
        .join(Tenant)
        .where(Tenant.slug == tenant_slug, Procedure.slug == slug)
        .order_by(ProcedureVersion.number)
    )
    return list(db.session.scalars(query))


def _run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["procedures", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(("tenant", "slug", "filename"), PROCEDURES)
def test_every_demo_procedure_exports_and_imports_unchanged(
    app: Flask, demo, tmp_path: Path, tenant: str, slug: str, filename: str
) -> None:
    target = tmp_path / f"{slug}.yaml"
    code, _ = _run(app, "export", tenant, slug, "--format", "yaml", "-o", str(target))
    assert code == 0
    shipped = json.loads(
        (Path(__file__).resolve().parents[2] / "portal/demo/procedures" / filename).read_text()
    )
    assert load_document(target.read_text("utf-8"), "yaml") == shipped
    code, output = _run(app, "import", tenant, slug, str(target))
    assert code == 0 and "unchanged: version 1" in output
    with app.app_context():
        assert _versions(tenant, slug) == [1]  # nothing new was published


def test_export_to_standard_output_in_json(app: Flask, demo) -> None:
    code, output = _run(app, "export", "aoba-city", "residence-certificate", "--format", "json")
    assert code == 0
    assert json.loads(output)["title"]["ja"] == "住民票の写し等交付請求"
    assert _run(app, "export", "aoba-city", "no-such")[0] != 0
    assert _run(app, "export", "no-such-city", "residence-certificate")[0] != 0


def test_check_reports_problems_with_their_place(app: Flask, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "schema: 1\ntitle: {ja: 壊れた手続}\n"
        "form:\n  pages:\n  - id: p\n    title: {ja: 頁}\n    fields:\n"
        "    - {id: a, type: hologram, label: {ja: 甲}}\n"
        "    - {id: b, type: text, label: {ja: 乙}, show_if: {field: zz, op: empty}}\n"
        "route: {stages: [{id: s, kind: decision, role: approver}]}\n"
        "notice: {subject: お知らせ}\n",
        "utf-8",
    )
    code, output = _run(app, "check", str(broken))
    assert code == 1
    assert "broken.yaml: form/pages/0/fields/0/type" in output and "hologram" in output
    assert "valid" not in output
    assert "en: 4 of 4 texts missing" in output  # reported even while there are problems
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("title: [\n", "utf-8")
    code, output = _run(app, "check", str(syntax))
    assert code == 1 and "syntax.yaml: line 2" in output


def test_check_counts_missing_translations(app: Flask, tmp_path: Path) -> None:
    path = Path(__file__).resolve().parents[2] / "portal/demo/procedures/residence_certificate.json"
    document = json.loads(path.read_text("utf-8"))
    del document["form"]["pages"][1]["fields"][1]["label"]["en"]
    target = tmp_path / "certificate.json"
    target.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    code, output = _run(app, "check", str(target))
    assert code == 0
    assert "certificate.json: valid" in output
    assert "ja: 0 of" in output
    assert "en: 1 of" in output and "  form.pages[1].fields[1].label" in output


def test_import_publishes_a_new_version_or_a_new_procedure(
    app: Flask, demo, tmp_path: Path
) -> None:
    target = tmp_path / "certificate.yaml"
    _run(app, "export", "aoba-city", "residence-certificate", "-o", str(target))
    text = target.read_text("utf-8").replace("使いみち", "ご利用の目的")
    target.write_text(text, "utf-8")
    code, output = _run(app, "import", "aoba-city", "residence-certificate", str(target))
    assert code == 0 and "published version 2" in output
    code, output = _run(app, "import", "aoba-city", "certificate-copy", str(target))
    assert code == 0 and "published version 1 of aoba-city/certificate-copy" in output
    with app.app_context():
        created = db.session.scalar(select(Procedure).where(Procedure.slug == "certificate-copy"))
        assert created is not None and created.is_published
        versions = db.session.scalars(
            select(ProcedureVersion).where(ProcedureVersion.procedure_id == created.id)
        ).all()
        assert "ご利用の目的" in json.dumps(versions[0].document, ensure_ascii=False)
    code, output = _run(
        app, "import", "aoba-city", "other", str(target), "--department", "存在しない課"
    )
    assert code != 0 and "no department" in output


def test_check_names_the_route_and_blank_japanese(app: Flask, tmp_path: Path) -> None:
    path = Path(__file__).resolve().parents[2] / "portal/demo/procedures/residence_certificate.json"
    document = json.loads(path.read_text("utf-8"))
    document["route"]["stages"][0]["title"]["ja"] = "　"
    target = tmp_path / "certificate.json"
    target.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    code, output = _run(app, "check", str(target))
    assert code == 1
    assert "certificate.json: route.stages[0].title: the Japanese text is empty" in output
    document["route"]["stages"][0]["title"]["ja"] = "審査"
    document["route"]["stages"][0]["kind"] = "decision"
    target.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    code, output = _run(app, "check", str(target))
    assert code == 1 and "route: stages: a route needs exactly one decision stage" in output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("dup.yaml", b"schema: 1\nschema: 1\n", "dup.yaml: line 2, column 1: key 'schema'"),
        (
            "sjis.yaml",
            "title: {ja: 手続}\n".encode("shift_jis"),
            "sjis.yaml: byte offset 12: not UTF-8",
        ),
        ("big.json", b" " * 1_000_001, "big.json: the file is larger than 1,000,000 bytes"),
        ("notes.txt", b"schema: 1\n", "notes.txt: name a .json, .yaml or .yml file"),
    ],
)
def test_check_refuses_files_it_cannot_read(
    app: Flask, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    target = tmp_path / name
    target.write_bytes(content)
    code, output = _run(app, "check", str(target))
    assert code == 1 and message in output


def test_import_refuses_problems_and_unusable_slugs(app: Flask, demo, tmp_path: Path) -> None:
    target = tmp_path / "certificate.yaml"
    _run(app, "export", "aoba-city", "residence-certificate", "-o", str(target))
    broken = tmp_path / "broken.yaml"
    broken.write_text(target.read_text("utf-8").replace("kind: decision", "kind: vote"), "utf-8")
    code, output = _run(app, "import", "aoba-city", "residence-certificate", str(broken))
    assert code == 1 and "broken.yaml: route: stages[1].kind" in output
    code, output = _run(app, "import", "aoba-city", "Certificate Copy", str(target))
    assert code != 0 and "cannot name a new procedure" in output
    code, output = _run(app, "import", "no-such-city", "certificate", str(target))
    assert code != 0 and "no tenant 'no-such-city'" in output
    with app.app_context():
        assert _versions("aoba-city", "residence-certificate") == [1]
        assert db.session.scalar(select(Procedure).where(Procedure.slug == "certificate")) is None
