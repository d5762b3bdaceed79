"""The builder's route, notice and translations tabs: owners change the approval route,
the notice's wording and the translations through forms alone; a change that would break
the route or the notice is refused with the reason, and the draft stays as it was."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.catalog.models import ProcedureDraft
from portal.extensions import db
from portal.tenants.models import AuditEntry, Department, Tenant
from tests.conftest import sign_in

ADMIN = "admin@pref.example.jp"
OWNER = "owner@sangyo.pref.example.jp"
BASE = "/staff/midori-pref/procedures"


def _department(app: Flask, code: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Department.id)
            .join(Tenant, Tenant.id == Department.tenant_id)
            .where(Tenant.slug == "midori-pref", Department.code == code)
        )


def _create(client: FlaskClient, app: Flask) -> int:
    data = {"title": "犬の登録申請", "slug": "dog-registration",
            "department": _department(app, "sangyo")}  # fmt: skip
    response = client.post(f"{BASE}/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/procedures/(\d+)/", response.headers["Location"]).group(1))


def _document(app: Flask, procedure_id: int) -> dict[str, Any]:
    with app.app_context():
        draft = db.session.scalar(
            select(ProcedureDraft).where(ProcedureDraft.procedure_id == procedure_id)
        )
        return draft.document


def _stages(app: Flask, procedure_id: int) -> list[dict[str, Any]]:
    return _document(app, procedure_id)["route"]["stages"]


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def owner(app: Flask, client: FlaskClient, demo) -> tuple[FlaskClient, int]:
    """The department's procedure owner, reading the pages in English, with a new draft."""
    client.set_cookie("lang", "en")
    sign_in(client, OWNER)
    return client, _create(client, app)


def _add_cost_question(client: FlaskClient, procedure_id: int) -> None:
    data = {"type": "money", "page": "p1", "id": "eligible_cost", "label_ja": "補助対象経費"}
    response = client.post(f"{BASE}/{procedure_id}/questions/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


# The approval route -------------------------------------------------------------------------


def test_a_review_is_added_before_the_decision(app: Flask, owner) -> None:
    client, procedure_id = owner
    page = client.get(f"{BASE}/{procedure_id}/route").get_data(as_text=True)
    assert "Review (回議)" in page and "Decision (決裁)" in page
    data = {"title": "係長回議", "kind": "review", "role": "chief", "department": ""}
    response = client.post(f"{BASE}/{procedure_id}/route", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    stages = _stages(app, procedure_id)
    assert [s["id"] for s in stages] == ["review", "s1", "decide"]
    assert stages[1] == {"id": "s1", "kind": "review", "title": {"ja": "係長回議"}, "role": "chief"}
    assert "procedure.route_stage_add" in _actions(app)
    page = client.get(f"{BASE}/{procedure_id}/route").get_data(as_text=True)
    assert "係長回議" in page and "Chief, Industrial Policy Division" in page


def test_adding_a_stage_without_a_title_keeps_what_was_typed(app: Flask, owner) -> None:
    client, procedure_id = owner
    data = {"title": " ", "kind": "review", "role": "director", "department": "zaimu"}
    response = client.post(f"{BASE}/{procedure_id}/route", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#field-title"' in page
    assert re.search(r'<option value="director" selected>', page)
    assert re.search(r'<option value="zaimu" selected>', page)
    assert len(_stages(app, procedure_id)) == 2


def test_a_stage_is_edited_with_its_role_department_and_days(app: Flask, owner) -> None:
    client, procedure_id = owner
    assert client.get(f"{BASE}/{procedure_id}/route/stages/review").status_code == 200
    data = {"title_ja": "書類審査", "title_en": "Document check", "kind": "review",
            "role": "section_chief", "department": "zaimu", "days": "３"}  # fmt: skip
    response = client.post(f"{BASE}/{procedure_id}/route/stages/review", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _stages(app, procedure_id)[0] == {
        "id": "review", "kind": "review", "title": {"ja": "書類審査", "en": "Document check"},
        "role": "section_chief", "department": "zaimu", "days": 3,
    }  # fmt: skip
    page = client.get(f"{BASE}/{procedure_id}/route").get_data(as_text=True)
    assert "Section chief, Finance Division" in page and "3 business days" in page
    data = {**data, "department": "nowhere", "days": "400"}
    response = client.post(f"{BASE}/{procedure_id}/route/stages/review", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'href="#field-department"' in page and 'href="#field-days"' in page


def test_a_consultation_consults_several_positions(app: Flask, owner) -> None:
    client, procedure_id = owner
    data = {"title": "財政課合議", "kind": "consultation", "role": "section_chief",
            "department": "zaimu"}  # fmt: skip
    assert client.post(f"{BASE}/{procedure_id}/route", data=data).status_code == 302
    stage = _stages(app, procedure_id)[1]
    assert stage["consult"] == [{"role": "section_chief", "department": "zaimu"}]
    page = client.get(f"{BASE}/{procedure_id}/route/stages/s1").get_data(as_text=True)
    assert page.count('name="consult_role_') == 5
    assert "<legend>Position 1</legend>" in page
    data = {"title_ja": "財政課合議", "kind": "consultation", "days": "5",
            "consult_role_1": "section_chief", "consult_department_1": "zaimu",
            "consult_role_2": "director", "consult_department_2": "",
            "consult_role_3": "", "on_objection": "record"}  # fmt: skip
    response = client.post(f"{BASE}/{procedure_id}/route/stages/s1", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    stage = _stages(app, procedure_id)[1]
    assert stage["consult"] == [
        {"role": "section_chief", "department": "zaimu"}, {"role": "director"},
    ]  # fmt: skip
    assert stage["on_objection"] == "record" and "role" not in stage
    # The same position twice is refused, with the reason.
    data["consult_role_2"], data["consult_department_2"] = "section_chief", "zaimu"
    response = client.post(f"{BASE}/{procedure_id}/route/stages/s1", data=data)
    assert response.status_code == 422
    assert "the same position is consulted twice" in response.get_data(as_text=True)


def test_an_authority_tier_is_added_to_the_decision(app: Flask, owner) -> None:
    client, procedure_id = owner
    _add_cost_question(client, procedure_id)
    page = client.get(f"{BASE}/{procedure_id}/route/stages/decide").get_data(as_text=True)
    assert '<option value="eligible_cost">補助対象経費</option>' in page
    data = {"action": "add", "tier_field": "eligible_cost", "tier_op": "at_most",
            "tier_value": "500,000", "tier_role": "section_chief",
            "tier_department": ""}  # fmt: skip
    response = client.post(f"{BASE}/{procedure_id}/route/stages/decide/tiers", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/route/stages/decide")
    decide = _stages(app, procedure_id)[-1]
    assert decide["tiers"] == [
        {"when": {"field": "eligible_cost", "op": "at_most", "value": 500000},
         "role": "section_chief"}
    ]  # fmt: skip
    page = client.get(f"{BASE}/{procedure_id}/route").get_data(as_text=True)
    assert (
        "If 「補助対象経費」 is at most 500,000: Section chief, Industrial Policy Division" in page
    )
    assert "Otherwise: Approver, Industrial Policy Division" in page
    response = client.post(
        f"{BASE}/{procedure_id}/route/stages/decide/tiers", data={**data, "tier_value": "abc"}
    )
    assert response.status_code == 422
    assert 'href="#field-tier_value"' in response.get_data(as_text=True)
    response = client.post(
        f"{BASE}/{procedure_id}/route/stages/decide/tiers", data={"action": "delete:0"}
    )
    assert response.status_code == 302
    assert "tiers" not in _stages(app, procedure_id)[-1]
    assert "procedure.route_tier_delete" in _actions(app)


def test_the_only_decision_stage_cannot_be_deleted_or_changed_into_a_review(
    app: Flask, owner
) -> None:
    client, procedure_id = owner
    before = _document(app, procedure_id)
    response = client.post(
        f"{BASE}/{procedure_id}/route/stages/decide/change", data={"action": "delete"}
    )
    assert response.status_code == 422
    assert "The route needs a decision stage (決裁) as its last stage" in response.get_data(
        as_text=True
    )
    assert _document(app, procedure_id) == before
    data = {"title_ja": "決裁", "kind": "review", "role": "approver", "department": ""}
    response = client.post(f"{BASE}/{procedure_id}/route/stages/decide", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The route needs a decision stage (決裁) as its last stage" in page
    assert 'href="#field-kind"' in page and 'value="review" selected' in page
    assert _document(app, procedure_id) == before
    assert "procedure.route_stage_delete" not in _actions(app)


def test_a_consultation_cannot_come_first(app: Flask, owner) -> None:
    client, procedure_id = owner
    data = {"title": "財政課合議", "kind": "consultation", "role": "section_chief",
            "department": "zaimu"}  # fmt: skip
    assert client.post(f"{BASE}/{procedure_id}/route", data=data).status_code == 302
    before = _document(app, procedure_id)
    response = client.post(f"{BASE}/{procedure_id}/route/stages/s1/change", data={"action": "up"})
    assert response.status_code == 422
    assert "A consultation (合議) cannot be the first stage" in response.get_data(as_text=True)
    response = client.post(
        f"{BASE}/{procedure_id}/route/stages/review/change", data={"action": "delete"}
    )
    assert response.status_code == 422
    assert _document(app, procedure_id) == before
    # Moving the review down past the consultation is refused for the same reason; moving
    # the decision up is refused because it must stay last.
    response = client.post(
        f"{BASE}/{procedure_id}/route/stages/decide/change", data={"action": "up"}
    )
    assert response.status_code == 422
    assert "must be the last stage" in response.get_data(as_text=True)


def test_stages_are_moved_and_deleted(app: Flask, owner) -> None:
    client, procedure_id = owner
    for title in ("一次審査", "二次審査"):
        data = {"title": title, "kind": "review", "role": "reviewer", "department": ""}
        assert client.post(f"{BASE}/{procedure_id}/route", data=data).status_code == 302
    assert [s["id"] for s in _stages(app, procedure_id)] == ["review", "s1", "s2", "decide"]
    response = client.post(f"{BASE}/{procedure_id}/route/stages/s2/change", data={"action": "up"})
    assert response.status_code == 302
    assert [s["id"] for s in _stages(app, procedure_id)] == ["review", "s2", "s1", "decide"]
    response = client.post(
        f"{BASE}/{procedure_id}/route/stages/review/change", data={"action": "delete"}
    )
    assert response.status_code == 302
    assert [s["id"] for s in _stages(app, procedure_id)] == ["s2", "s1", "decide"]
    data = {"title": "三次審査", "kind": "review", "role": "reviewer", "department": ""}
    assert client.post(f"{BASE}/{procedure_id}/route", data=data).status_code == 302
    assert [s["id"] for s in _stages(app, procedure_id)] == ["s2", "s1", "s3", "decide"]
    assert client.get(f"{BASE}/{procedure_id}/route/stages/nothing").status_code == 404


# The notice ---------------------------------------------------------------------------------


NOTICE = {
    "subject": "犬の登録について",
    "kind": "permit",
    "approved_title": "登録済通知書",
    "approved_body": "申請のあった犬の登録について、下記のとおり登録した。",
    "rejected_title": "",
    "rejected_body": "",
    "template": "",
}


def test_the_notice_is_saved(app: Flask, owner) -> None:
    client, procedure_id = owner
    assert client.get(f"{BASE}/{procedure_id}/notice").status_code == 200
    response = client.post(f"{BASE}/{procedure_id}/notice", data=NOTICE)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _document(app, procedure_id)["notice"] == {
        "subject": "犬の登録について", "kind": "permit", "approved_title": "登録済通知書",
        "approved_body": "申請のあった犬の登録について、下記のとおり登録した。",
    }  # fmt: skip
    assert "procedure.notice" in _actions(app)
    response = client.post(f"{BASE}/{procedure_id}/notice", data={**NOTICE, "subject": ""})
    assert response.status_code == 422
    assert 'href="#field-subject"' in response.get_data(as_text=True)


def test_a_bad_template_is_refused_with_its_line(app: Flask, owner) -> None:
    client, procedure_id = owner
    before = _document(app, procedure_id)
    template = "<p>{{ addressee }}様</p>\n<p>{{ reason </p>\n"
    response = client.post(f"{BASE}/{procedure_id}/notice", data={**NOTICE, "template": template})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 2 of the body template" in page and 'href="#field-template"' in page
    assert "{{ reason &lt;/p&gt;" in page  # what was typed is kept
    response = client.post(
        f"{BASE}/{procedure_id}/notice", data={**NOTICE, "template": "<p>{{ secret }}</p>"}
    )
    assert response.status_code == 422
    assert "“secret”" in response.get_data(as_text=True)
    assert _document(app, procedure_id) == before


def test_the_placeholders_name_each_question(app: Flask, owner) -> None:
    client, procedure_id = owner
    page = client.get(f"{BASE}/{procedure_id}/notice").get_data(as_text=True)
    assert "{{ answer_by_id.q1 }}" in page and "氏名" in page
    assert "{{ document_number }}" in page and "{{ addressee }}" in page


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_notice_preview_is_a_sample_pdf(app: Flask, owner, tmp_path: Path) -> None:
    client, procedure_id = owner
    assert client.post(f"{BASE}/{procedure_id}/notice", data=NOTICE).status_code == 302
    response = client.get(f"{BASE}/{procedure_id}/notice/preview.pdf?outcome=approved")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("inline")
    text = pdf_text(response.data, tmp_path)
    assert "見本" in text and "犬の登録について" in text and "登録済通知書" in text
    assert "電子署名はありません" in text and "電子署名付き文書" not in text
    response = client.get(f"{BASE}/{procedure_id}/notice/preview.pdf?outcome=rejected")
    text = pdf_text(response.data, tmp_path)
    assert "不許可通知書" in text and "教示" in text
    assert client.get(f"{BASE}/{procedure_id}/notice/preview.pdf?outcome=maybe").status_code == 404
    template = "<p>{{ addressee }}様の{{ procedure_title }}、{{ answer_by_id.q1 }}</p>"
    data = {**NOTICE, "template": template}
    assert client.post(f"{BASE}/{procedure_id}/notice", data=data).status_code == 302
    response = client.get(f"{BASE}/{procedure_id}/notice/preview.pdf")
    assert "太郎様の犬の登録申請、（見本）" in pdf_text(response.data, tmp_path)


def test_a_preview_of_a_broken_template_says_why(app: Flask, owner) -> None:
    client, procedure_id = owner
    with app.app_context():
        draft = db.session.scalar(
            select(ProcedureDraft).where(ProcedureDraft.procedure_id == procedure_id)
        )
        notice = {"subject": "犬の登録について", "template": "<p>\n{% if approved %}</p>"}
        draft.document = {**draft.document, "notice": notice}
        db.session.commit()
    response = client.get(f"{BASE}/{procedure_id}/notice/preview.pdf")
    assert response.status_code == 302 and response.headers["Location"].endswith("/notice")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "flash--error" in page and "Line 2 of the body template" in page


# Translations ---------------------------------------------------------------------------


def test_translations_are_counted_and_saved(app: Flask, owner) -> None:
    client, procedure_id = owner
    page = client.get(f"{BASE}/{procedure_id}/translations").get_data(as_text=True)
    # The starter draft: its title, a page, three questions and two stages; only the
    # title has no English yet.
    assert "English: 1 of 7 texts missing" in page
    assert "Korean: 7 of 7 texts missing" in page
    assert 'id="field-t1"' in page and "(not translated yet)" in page
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', page).group(1)
    data = {"fingerprint": fingerprint, "t1": "Dog registration", "t2": ""}
    response = client.post(f"{BASE}/{procedure_id}/translations?locale=en", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    document = _document(app, procedure_id)
    assert document["title"] == {"ja": "犬の登録申請", "en": "Dog registration"}
    assert document["form"]["pages"][0]["title"] == {"ja": "申請者"}
    page = client.get(f"{BASE}/{procedure_id}/translations").get_data(as_text=True)
    assert "English: 1 of 7 texts missing" in page
    response = client.post(
        f"{BASE}/{procedure_id}/translations?locale=ko",
        data={"fingerprint": fingerprint, "t1": "개 등록"},
    )
    assert response.status_code == 302
    assert _document(app, procedure_id)["title"]["ko"] == "개 등록"
    page = client.get(f"{BASE}/{procedure_id}/translations?locale=ko").get_data(as_text=True)
    assert "Korean: 6 of 7 texts missing" in page and 'value="개 등록"' in page
    assert "procedure.translations" in _actions(app)
    assert client.get(f"{BASE}/{procedure_id}/translations?locale=xx").status_code == 404


def test_translations_of_a_changed_draft_are_not_stored(app: Flask, owner) -> None:
    client, procedure_id = owner
    data = {"fingerprint": "0" * 64, "t1": "Dog registration"}
    response = client.post(f"{BASE}/{procedure_id}/translations?locale=en", data=data)
    assert response.status_code == 302
    assert "en" not in _document(app, procedure_id)["title"]


# Who may --------------------------------------------------------------------------------


PAGES = ("/route", "/route/stages/decide", "/notice", "/notice/preview.pdf", "/translations")


def test_an_administrator_uses_every_tab(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, ADMIN)
    procedure_id = _create(client, app)
    for path in PAGES:
        assert client.get(f"{BASE}/{procedure_id}{path}").status_code == 200, path


def test_a_reviewer_may_not_build(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, ADMIN)
    procedure_id = _create(client, app)
    client.post("/account/logout")
    other = app.test_client()
    sign_in(other, "reviewer@pref.example.jp")
    for path in PAGES:
        assert other.get(f"{BASE}/{procedure_id}{path}").status_code == 403, path
    response = other.post(f"{BASE}/{procedure_id}/route/stages/decide/change",
                          data={"action": "delete"})  # fmt: skip
    assert response.status_code == 403


def test_another_governments_administrator_may_not_build(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, ADMIN)
    procedure_id = _create(client, app)
    other = app.test_client()
    sign_in(other, "admin@aoba.example.jp")
    for path in PAGES:
        assert other.get(f"{BASE}/{procedure_id}{path}").status_code == 403, path
        own = f"/staff/aoba-city/procedures/{procedure_id}{path}"
        assert other.get(own).status_code == 404, path
