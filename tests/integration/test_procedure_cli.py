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
