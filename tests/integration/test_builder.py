"""The procedure builder: staff build, check, publish, share and import procedures
through forms alone, and every change is in the audit log."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.catalog.models import Procedure, ProcedureDraft, ProcedureVersion
from portal.extensions import db
from portal.tenants.models import AuditEntry, Department, Tenant
from tests.conftest import sign_in

ADMIN = "admin@pref.example.jp"
OWNER = "owner@sangyo.pref.example.jp"
BASE = "/staff/midori-pref/procedures"


def _department(app: Flask, tenant: str, code: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Department.id)
            .join(Tenant, Tenant.id == Department.tenant_id)
            .where(Tenant.slug == tenant, Department.code == code)
        )


def _create(client: FlaskClient, app: Flask, slug: str = "dog-registration") -> int:
    response = client.post(
        f"{BASE}/new",
        data={
            "title": "犬の登録申請",
            "slug": slug,
            "department": _department(app, "midori-pref", "sangyo"),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/procedures/(\d+)/", response.headers["Location"]).group(1))


def _document(app: Flask, procedure_id: int) -> dict[str, Any]:
    with app.app_context():
        draft = db.session.scalar(
            select(ProcedureDraft).where(ProcedureDraft.procedure_id == procedure_id)
        )
        return draft.document


def _add_field(client: FlaskClient, procedure_id: int, page: str, kind: str, **values: Any) -> Any:
    data = {"type": kind, "page": page, "id": values.pop("id"), **values}
    return client.post(f"{BASE}/{procedure_id}/questions/new", data=data)


def test_an_owner_builds_a_procedure_and_publishes_it(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, OWNER)
    procedure_id = _create(client, app)
    assert client.get(f"{BASE}/{procedure_id}/questions").status_code == 200
    response = _add_field(
        client,
        procedure_id,
        "p1",
        "choice",
        id="kind",
        label_ja="犬の種類",
        options="小型犬\n中型犬\n大型犬",
        required="yes",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    response = client.post(f"{BASE}/{procedure_id}/questions/pages", data={"title": "犬の情報"})
    assert response.status_code == 302
    document = _document(app, procedure_id)
    assert [p["title"]["ja"] for p in document["form"]["pages"]] == ["申請者", "犬の情報"]
    assert [o["label"]["ja"] for o in document["form"]["pages"][0]["fields"][-1]["options"]] == [
        "小型犬",
        "中型犬",
        "大型犬",
    ]
    for path in ("", "/questions", "/publish", "/versions", "/preview"):
        assert client.get(f"{BASE}/{procedure_id}{path}").status_code == 200, path
    response = client.post(f"{BASE}/{procedure_id}/publish")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        version = db.session.scalar(
            select(ProcedureVersion).where(ProcedureVersion.procedure_id == procedure_id)
        )
        assert version.number == 1
        assert db.session.get(Procedure, procedure_id).is_published
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[:1] == ["procedure.create"] and "procedure.publish" in actions


def _set_draft(app: Flask, procedure_id: int, change) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        draft = db.session.scalar(
            select(ProcedureDraft).where(ProcedureDraft.procedure_id == procedure_id)
        )
        document = json.loads(json.dumps(draft.document))
        change(document)
        draft.document = document
        db.session.commit()


def _with_condition(client: FlaskClient, app: Flask) -> int:
    """A procedure whose question 'detail' is shown when 'has_dog' is yes."""
    procedure_id = _create(client, app)
    _add_field(client, procedure_id, "p1", "yesno", id="has_dog", label_ja="犬を飼っていますか")
    _add_field(client, procedure_id, "p1", "text", id="detail", label_ja="犬の名前")
    url = f"{BASE}/{procedure_id}/questions/fields/detail/condition"
    step = client.get(url, query_string={"field": "has_dog", "op": "equals"})
    assert "犬を飼っていますか" in step.get_data(as_text=True)
    response = client.post(
        url, data={"action": "add", "field": "has_dog", "op": "equals", "value": "yes"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return procedure_id


def test_conditions_are_built_from_lists(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, ADMIN)
    procedure_id = _with_condition(client, app)
    fields = {f["id"]: f for f in _document(app, procedure_id)["form"]["pages"][0]["fields"]}
    assert fields["detail"]["show_if"] == {"field": "has_dog", "op": "equals", "value": True}
    page = client.get(f"{BASE}/{procedure_id}/questions/fields/detail/condition")
    assert "「犬を飼っていますか」" in page.get_data(as_text=True)


def test_a_question_used_by_a_condition_cannot_be_deleted(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, ADMIN)
    procedure_id = _with_condition(client, app)
    before = _document(app, procedure_id)
    response = client.post(
        f"{BASE}/{procedure_id}/questions/fields/has_dog/change", data={"action": "delete"}
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "犬を飼っていますか" in text and "犬の名前" in text
    assert _document(app, procedure_id) == before
    # Once the condition is removed, the question can go.
    client.post(
        f"{BASE}/{procedure_id}/questions/fields/detail/condition", data={"action": "remove:0"}
    )
    response = client.post(
        f"{BASE}/{procedure_id}/questions/fields/has_dog/change", data={"action": "delete"}
    )
    assert response.status_code == 302
    ids = [f["id"] for f in _document(app, procedure_id)["form"]["pages"][0]["fields"]]
    assert "has_dog" not in ids


def test_publishing_is_refused_with_where_and_why(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, ADMIN)
    procedure_id = _create(client, app)

    def break_it(document: dict[str, Any]) -> None:
        document["form"]["pages"][0]["fields"][1]["label"] = {"ja": "", "en": "Address"}
        document["route"]["stages"] = document["route"]["stages"][:1]

    _set_draft(app, procedure_id, break_it)
    before = _document(app, procedure_id)
    response = client.post(f"{BASE}/{procedure_id}/publish")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "page 1 「申請者」" in text or "1ページ" in text or "申請者" in text
    assert "決裁" in text
    assert _document(app, procedure_id) == before
    with app.app_context():
        assert not db.session.scalars(
            select(ProcedureVersion).where(ProcedureVersion.procedure_id == procedure_id)
        ).all()


def test_a_new_version_lists_its_changes_and_applications_keep_theirs(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, ADMIN)
    procedure_id = _create(client, app)
    assert client.post(f"{BASE}/{procedure_id}/publish").status_code == 302
    _add_field(client, procedure_id, "p1", "email", id="mail", label_ja="連絡先メール")
    page = client.get(f"{BASE}/{procedure_id}/publish").get_data(as_text=True)
    assert "連絡先メール" in page
    assert client.post(f"{BASE}/{procedure_id}/publish").status_code == 302
    history = client.get(f"{BASE}/{procedure_id}/versions").get_data(as_text=True)
    assert "連絡先メール" in history
    with app.app_context():
        numbers = db.session.scalars(
            select(ProcedureVersion.number).where(ProcedureVersion.procedure_id == procedure_id)
        ).all()
    assert sorted(numbers) == [1, 2]


def test_preview_runs_the_wizard_and_saves_no_application(
    app: Flask, client: FlaskClient, demo
) -> None:
    from portal.applications.models import Application

    sign_in(client, ADMIN)
    procedure_id = _with_condition(client, app)
    with app.app_context():
        before = db.session.query(Application).count()
    start = client.post(f"{BASE}/{procedure_id}/preview")
    assert start.status_code == 302
    page_url = start.headers["Location"]
    refused = client.post(page_url, data={"has_dog": "yes"})
    assert refused.status_code == 422  # the name and the shown question are required
    answers = {
        "q1.family": "山田", "q1.given": "花子", "q1.family_kana": "ヤマダ",
        "q1.given_kana": "ハナコ", "q2.postcode": "100-0001", "q2.prefecture": "東京都",
        "q2.city": "千代田区", "q2.street": "千代田1-1", "q3": "03-1234-5678",
        "has_dog": "yes", "detail": "ポチ",
    }  # fmt: skip
    response = client.post(page_url, data=answers)
    assert response.status_code == 302, response.get_data(as_text=True)
    check = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ポチ" in check and "山田" in check
    with app.app_context():
        assert db.session.query(Application).count() == before


def test_export_and_import(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, ADMIN)
    procedure_id = _with_condition(client, app)
    exported = client.get(f"{BASE}/{procedure_id}/export.json")
    assert exported.mimetype == "application/json"
    document = json.loads(exported.data)
    upload = {
        "file": (io.BytesIO(exported.data), "dog.json"),
        "slug": "dog-copy",
        "department": _department(app, "midori-pref", "sangyo"),
    }
    response = client.post(f"{BASE}/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    copy_id = int(re.search(r"/procedures/(\d+)", response.headers["Location"]).group(1))
    assert _document(app, copy_id) == document
    # A file from a newer format is refused, and the draft it was to replace is kept.
    newer = json.dumps({**document, "schema": 2}).encode()
    response = client.post(
        f"{BASE}/{copy_id}/import",
        data={"file": (io.BytesIO(newer), "newer.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "2" in response.get_data(as_text=True)
    assert _document(app, copy_id) == document


def test_templates_are_shared_between_governments(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, ADMIN)
    procedure_id = _create(client, app)
    client.post(f"{BASE}/{procedure_id}/publish")
    assert client.post(f"{BASE}/{procedure_id}/state", data={"action": "share"}).status_code == 302
    other = app.test_client()
    sign_in(other, "admin@sakura.example.jp")
    library = other.get("/staff/sakura-town/library").get_data(as_text=True)
    assert "犬の登録申請" in library
    with app.app_context():
        town_department = db.session.scalar(
            select(Department.id)
            .join(Tenant, Tenant.id == Department.tenant_id)
            .where(Tenant.slug == "sakura-town")
        )
    response = other.post(
        f"/staff/sakura-town/library/{procedure_id}",
        data={"title": "犬の登録申請（町）", "slug": "dogs", "department": town_department},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        copied = db.session.scalar(select(Procedure).where(Procedure.slug == "dogs"))
        assert copied.tenant.slug == "sakura-town" and not copied.is_published
        entries = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.tenant_id == copied.tenant_id)
        ).all()
    assert "procedure.copy" in entries


def test_who_may_build_what(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, ADMIN)
    other_department = _department(app, "midori-pref", "zaimu")
    response = client.post(
        f"{BASE}/new",
        data={"title": "財政の手続", "slug": "finance-only", "department": other_department},
    )
    procedure_id = int(re.search(r"/procedures/(\d+)/", response.headers["Location"]).group(1))
    owner = app.test_client()
    sign_in(owner, OWNER)
    assert owner.get(f"{BASE}/{procedure_id}").status_code == 404  # another department's
    assert owner.post(f"{BASE}/{procedure_id}/publish").status_code == 404
    listed = owner.get(BASE).get_data(as_text=True)
    assert "財政の手続" not in listed
    reviewer = app.test_client()
    sign_in(reviewer, "reviewer@pref.example.jp")
    assert reviewer.get(BASE).status_code == 403
    town_admin = app.test_client()
    sign_in(town_admin, "admin@sakura.example.jp")
    assert town_admin.get(BASE).status_code == 403
    assert town_admin.get(f"/staff/sakura-town/procedures/{procedure_id}").status_code == 404


def test_details_are_saved_and_bad_input_is_kept(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, ADMIN)
    procedure_id = _create(client, app)
    url = f"{BASE}/{procedure_id}"
    values = {
        "title_ja": "犬の登録申請", "title_en": "Dog registration", "signature": "declaration",
        "opens": "2027-04-01", "closes": "2027-03-01", "fee_amount": "3000",
        "standard_processing_days": "10", "guest": "yes",
    }  # fmt: skip
    refused = client.post(url, data=values)
    assert refused.status_code == 422
    assert 'value="2027-03-01"' in refused.get_data(as_text=True)
    assert "application_period" not in _document(app, procedure_id)
    response = client.post(url, data={**values, "closes": "2027-06-30"})
    assert response.status_code == 302
    document = _document(app, procedure_id)
    assert document["application_period"] == {"opens": "2027-04-01", "closes": "2027-06-30"}
    assert document["fee"]["formula"] == "3000"
    assert document["signature"] == "declaration" and document["guest"] is True
    assert document["title"] == {"ja": "犬の登録申請", "en": "Dog registration"}


def test_a_declaration_with_the_typed_name_replaces_the_seal(
    app: Flask, client: FlaskClient, demo
) -> None:
    from portal.applications.models import Application
    from tests.integration.journey import PARKING, PARKING_ANSWERS, fill, start

    with app.app_context():
        procedure = db.session.scalar(
            select(Procedure).where(Procedure.slug == "accessible-parking")
        )
        latest = max(procedure.versions, key=lambda v: v.number)
        from portal.catalog.operations import publish_version

        publish_version(procedure, {**latest.document, "signature": "declaration"}, None)
        db.session.commit()
    sign_in(client, "resident@example.jp")
    page = client.get(PARKING).get_data(as_text=True)
    assert "type your full name" in page or "氏名を入力" in page or "記名" in page
    check = fill(client, start(client), PARKING_ANSWERS)
    assert 'name="signed_name"' in client.get(check).get_data(as_text=True)
    unsigned = client.post(check, data={"declare": "yes", "signed_name": "  "})
    assert unsigned.status_code == 302 and "check" in unsigned.headers["Location"]
    signed = client.post(check, data={"declare": "yes", "signed_name": "山田　花子"})
    assert "submitted" in signed.headers["Location"]
    with app.app_context():
        application = db.session.scalars(
            select(Application).where(Application.reference.is_not(None))
        ).first()
        assert application.signed_name == "山田 花子"
        ident = application.id
    staff = app.test_client()
    sign_in(staff, "reviewer@pref.example.jp")
    shown = staff.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    assert "山田 花子" in shown and "data-signed-name" in shown


def test_an_identity_provider_level_is_refused_until_one_is_connected(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, ADMIN)
    procedure_id = _create(client, app)
    _set_draft(app, procedure_id, lambda d: d.update(signature="identity_provider"))
    response = client.post(f"{BASE}/{procedure_id}/publish")
    assert response.status_code == 422
    assert "identity provider" in response.get_data(
        as_text=True
    ) or "本人確認" in response.get_data(as_text=True)


def test_a_question_used_by_a_formula_and_a_tier_cannot_be_deleted(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, OWNER)
    with app.app_context():
        subsidy = db.session.scalar(
            select(Procedure.id).where(Procedure.slug == "iot-ai-robot-subsidy")
        )
    # Opening a published procedure in the builder starts its draft from the newest version.
    assert client.get(f"{BASE}/{subsidy}/questions").status_code == 200
    before = _document(app, subsidy)
    response = client.post(
        f"{BASE}/{subsidy}/questions/fields/eligible_cost/change", data={"action": "delete"}
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    # In Japanese, naming the computed value's formula and the decision stage's tier.
    assert "補助対象経費（税抜き）" in text and "削除できません" in text
    assert "補助金交付申請額」の計算式" in text
    assert "段階「交付決定」の専決区分1" in text
    assert _document(app, subsidy) == before
