"""Every shipped sample procedure, through the resident's wizard over HTTP.

For each procedure in portal.demo.seed.PROCEDURES: one valid application that goes
page by page to a submitted application with a reference number, and one invalid page
that is refused with the field's own message while keeping what was typed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from forms import Problem, localise
from forms.definition import check_document
from portal.core.messages import problem_message
from portal.demo.seed import HERE, PROCEDURES
from tests.conftest import sign_in
from tests.integration.journey import (
    PDF,
    Answers,
    act,
    application_id,
    fill,
    load,
    post_page,
    start,
)

FUTURE = (date.today() + timedelta(days=60)).isoformat()
LATER = (date.today() + timedelta(days=150)).isoformat()

HANAKO = {
    "name.family": "山田",
    "name.given": "花子",
    "name.family_kana": "ヤマダ",
    "name.given_kana": "ハナコ",
}
TOKYO = {
    "address.postcode": "100-0001",
    "address.prefecture": "東京都",
    "address.city": "千代田区",
    "address.street": "千代田1-1",
    "address.building": "",
}
CORPORATE_NUMBER = "7123456789012"  # a made-up number with a correct check digit


def _address(prefix: str, street: str = "緑町1-2-3") -> dict[str, str]:
    return {
        f"{prefix}.postcode": "",
        f"{prefix}.prefecture": "静岡県",
        f"{prefix}.city": "静岡市葵区",
        f"{prefix}.street": street,
        f"{prefix}.building": "",
    }


def _representative(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}.family": "緑川",
        f"{prefix}.given": "健一",
        f"{prefix}.family_kana": "ミドリカワ",
        f"{prefix}.given_kana": "ケンイチ",
    }


def _signed(name: str = "山田 花子", field_id: str = "declaration") -> dict[str, str]:
    return {f"{field_id}.agree": "yes", f"{field_id}.name": name}


CONTACT = {
    "contact_person": "総務部 山田 花子",
    "phone": "054-123-4567",
    "email": "info@example.jp",
}


#: One complete, valid application per procedure: page id -> posted inputs, in page order.
VALID: dict[str, Answers] = {
    "accessible-parking": {
        "applicant": {"name": "山田 花子", "birth_date": "昭和25年4月1日"},
        "eligibility": {"reason": "elderly", "copies": "2", "note": ""},
        "documents": {"proof": ("介護保険被保険者証.pdf", PDF)},
    },
    "vehicle-tax-address": {
        "owner": {
            "owner_name.mode": "japanese",
            "owner_name.family": "髙橋",
            "owner_name.given": "𠮷子",
            "owner_name.family_kana": "タカハシ",
            "owner_name.given_kana": "ヨシコ",
            "phone": "090-1234-5678",
            "plate": "みどり 300 あ 12-34",
        },
        "new_address": {**TOKYO, "moved": "no", **_signed("髙橋 𠮷子")},
    },
    "residence-certificate": {
        "requester": {
            "name": "山田 花子",
            "birth_date": "1990-01-01",
            "email": "h@example.jp",
            "applying_as": "self",
        },
        "request": {"scope": "household", "copies": "2", "purpose": "運転免許の更新"},
    },
    "childcare-support": {
        "parent": {"name": "山田 花子", "relationship": "mother"},
        "children": {
            "children.count": "2",
            "children.0.name": "山田 一郎",
            "children.0.birth_date": "平成30年5月1日",
            "children.0.living_together": "yes",
            "children.1.name": "山田 二葉",
            "children.1.birth_date": "令和2年5月1日",
            "children.1.living_together": "yes",
        },
        "payment": {"bank": "さくら銀行 本店", "account_holder": "ヤマダ ハナコ"},
    },
    "teacher-recruitment-exam": {
        "applicant": {
            **HANAKO,
            "birth_date": "平成13年4月1日",
            **TOKYO,
            "phone": "090-1234-5678",
            "email": "hanako@example.jp",
        },
        "category": {"school_level": "junior_high"},
        "subject": {"subject_junior_high": "mathematics"},
        "licence": {
            "licence_status": "expected",
            "licence_grade": "first_class",
            "licence_expected_on": LATER,
            "education": "みどり大学 教育学部（卒業見込み）",
        },
        "selection": {"venue": "tokyo", "special_selection": ["working_adult", "disability"]},
        "career": {"employer": "株式会社みどり情報システム", "career_years": "8"},
        "accommodation": {"accommodation": "拡大文字の問題用紙を希望します。"},
        "confirm": _signed(),
    },
    "fertiliser-production": {
        "business": {
            "entity_type": "corporation",
            "corporate_number": "7-1234-5678-9012",
            "business_name": "株式会社みどり有機",
            **_representative("representative"),
            "representative_title": "代表取締役",
            **_address("head_office"),
        },
        "factory": {
            "factory_name": "みどり有機 第一工場",
            **_address("factory_address", "緑町100"),
            "storage_same": "no",
            **_address("storage_address", "緑町200"),
        },
        "fertilisers": {
            "notification_kind": "special",
            "fertiliser_kinds": ["compost", "manure", "__other__"],
            "fertiliser_kinds.other": "もみがらくん炭",
            "fertiliser_names": "みどり完熟牛ふん堆肥\nみどり発酵鶏ふん",
            "start_date": FUTURE,
        },
        "contact": {**CONTACT, **_signed("緑川 健一")},
    },
    "iot-ai-robot-subsidy": {
        "company": {
            "entity_type": "corporation",
            "corporate_number": CORPORATE_NUMBER,
            "company_name": "株式会社みどり精機",
            **_representative("representative"),
            **_address("head_office"),
            "industry": "manufacturing",
            "employees": "25",
            "capital": "10,000,000",
        },
        "project": {
            "project_title": "検査工程へのAI画像検査システムの導入",
            "technologies": ["ai", "robot"],
            "project_description": "目視の外観検査にAI画像検査と協働ロボットを導入する。",
            "expected_effect": "検査時間を1日4時間から1時間に短縮する。",
        },
        "budget": {
            "eligible_cost": "1,234,567",
            "other_subsidy": "no",
            "start_on": FUTURE,
            "end_on": LATER,
        },
        "contact": {**CONTACT, **_signed("緑川 健一")},
    },
    "relocation-tour": {
        "applicant": {
            "name.mode": "japanese",
            **HANAKO,
            "birth_date": "1988-07-07",
            **TOKYO,
            "phone": "090-1234-5678",
            "email": "hanako@example.jp",
        },
        "tour": {"tour": "summer", "participants": "3", "companions": "山田 太郎（夫・38歳）"},
        "interest": {
            "reason": "自然の中で子育てをしたいため。",
            "timing": "within_3_years",
            "heard_from": ["fair", "__other__"],
            "heard_from.other": "ラジオ",
        },
        "needs": {
            "has_needs": "yes",
            "needs_detail": "長女が卵アレルギーです。",
            **_signed(field_id="consent"),
        },
    },
    "event-signup": {
        "event": {
            "event": "first_aid",
            "participants": "2",
            "childcare": "yes",
            "children": "2",
            "children_ages": "2歳、4歳",
        },
        "participant": {**HANAKO, "phone": "090-1234-5678", "email": "", "accessibility": ""},
    },
    "resident-survey": {
        "about_you": {"age_band": "40s", "district": "central", "years_lived": "5_to_20"},
        "town": {
            "satisfaction": "fairly_satisfied",
            "priorities": ["childcare", "disaster", "digital"],
            "good_points": "桜並木と子育て支援が充実しているところ。",
            "comments": "",
        },
    },
}


@dataclass(frozen=True)
class Invalid:
    """A page posted with a mistake: the problem expected and a typed value to keep."""

    page: str
    changes: dict[str, Any]
    field_id: str
    code: str
    kept: str
    params: dict[str, Any] = field(default_factory=dict)


INVALID: dict[str, Invalid] = {
    "accessible-parking": Invalid(
        "eligibility",
        {"copies": "5", "note": "車いすを使用"},
        "copies",
        "too_large",
        "車いすを使用",
        {"max": 3},
    ),
    "vehicle-tax-address": Invalid(
        "new_address", {"moved": "yes", "moved_on": ""}, "moved_on", "required", "千代田1-1"
    ),
    "residence-certificate": Invalid(
        "requester", {"email": "hanako@"}, "email", "invalid_email", "山田 花子"
    ),
    "childcare-support": Invalid(
        "parent", {"relationship": "other"}, "relationship_other", "required", "山田 花子"
    ),
    "teacher-recruitment-exam": Invalid(
        "licence",
        {"licence_expected_on": ""},
        "licence_expected_on",
        "required",
        "みどり大学 教育学部（卒業見込み）",
    ),
    "fertiliser-production": Invalid(
        "business", {"corporate_number": ""}, "corporate_number", "required", "株式会社みどり有機"
    ),
    "iot-ai-robot-subsidy": Invalid(
        "company",
        {"employees": "301"},
        "employees",
        "too_large",
        "株式会社みどり精機",
        {"max": 300},
    ),
    "relocation-tour": Invalid(
        "tour",
        {"participants": "5"},
        "participants",
        "too_large",
        "山田 太郎（夫・38歳）",
        {"max": 4},
    ),
    "event-signup": Invalid("event", {"children": ""}, "children", "required", "2歳、4歳"),
    "resident-survey": Invalid(
        "town",
        {"priorities": ["childcare", "education", "elderly", "digital"]},
        "priorities",
        "too_many_choices",
        "桜並木と子育て支援が充実しているところ。",
        {"max": 3},
    ),
}

SLUGS = [pytest.param(tenant, slug, filename, id=slug) for tenant, slug, filename in PROCEDURES]


def _document(filename: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((HERE / "procedures" / filename).read_text("utf-8"))
    return loaded


def _label(document: dict[str, Any], field_id: str) -> str:
    for page in document["form"]["pages"]:
        for entry in page["fields"]:
            if entry["id"] == field_id:
                return localise(entry["label"], "ja")
    raise KeyError(field_id)


def test_there_are_at_least_ten_samples_and_each_file_is_shipped() -> None:
    shipped = {Path(filename).name for _, _, filename in PROCEDURES}
    on_disk = {path.name for path in (HERE / "procedures").glob("*.json")}
    assert len(PROCEDURES) >= 10 and shipped == on_disk
    slugs = [slug for _, slug, _ in PROCEDURES]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)
    assert set(VALID) == set(INVALID) == set(slugs)


@pytest.mark.parametrize(("tenant", "slug", "filename"), SLUGS)
def test_every_sample_definition_is_valid_and_complete(
    tenant: str, slug: str, filename: str
) -> None:
    document = _document(filename)
    check_document(document)
    for key in ("description", "category", "contact", "standard_processing_days"):
        assert key in document, key
    assert {"approved_title", "approved_body", "rejected_title", "rejected_body"} <= set(
        document["notice"]
    )
    # Every text a resident reads has an English translation.
    texts = [document["title"], document["description"], document["contact"]]
    for page in document["form"]["pages"]:
        texts.append(page["title"])
        for entry in page["fields"]:
            texts += [entry["label"], *(entry.get(k) for k in ("hint", "statement", "body"))]
            texts += [option["label"] for option in entry.get("options", ())]
    texts += [item["label"] for item in document.get("computed", ())]
    assert all(text["en"] for text in texts if text is not None), slug


@pytest.mark.parametrize(("tenant", "slug", "filename"), SLUGS)
def test_a_valid_application_is_submitted_with_a_reference(
    app: Flask, client: FlaskClient, demo, tenant: str, slug: str, filename: str
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, f"/procedures/{tenant}/{slug}")
    check = fill(client, first, VALID[slug])
    assert check.endswith("/check"), check  # every page was answered, none skipped wrongly
    assert client.get(check).status_code == 200
    sent = client.post(check)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/submitted")
    stored = load(app, application_id(first))
    assert stored.status == "submitted"
    assert stored.reference and re.fullmatch(r"[A-Z]{3}-[0-9A-Z]{4}-[0-9A-Z]{4}", stored.reference)
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert stored.reference in page


@pytest.mark.parametrize(("tenant", "slug", "filename"), SLUGS)
def test_an_invalid_page_shows_the_fields_message_and_keeps_the_answers(
    app: Flask, client: FlaskClient, demo, tenant: str, slug: str, filename: str
) -> None:
    case = INVALID[slug]
    pages = list(VALID[slug])
    before = {page: VALID[slug][page] for page in pages[: pages.index(case.page)]}
    sign_in(client, "resident@example.jp")
    url = fill(client, start(client, f"/procedures/{tenant}/{slug}"), before)
    assert url.endswith(f"/pages/{case.page}"), url
    response = post_page(client, url, {**VALID[slug][case.page], **case.changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    label = _label(_document(filename), case.field_id)
    with app.test_request_context():
        message = problem_message(Problem(case.field_id, case.code, case.params), label)
    assert str(escape(message)) in page, message
    assert f'href="#field-{case.field_id}"' in page
    assert str(escape(case.kept)) in page  # nothing typed is lost


# The computed subsidy amount -----------------------------------------------------------

SUBSIDY = "/procedures/midori-pref/iot-ai-robot-subsidy"


def _subsidy_check_page(client: FlaskClient, cost: str) -> tuple[str, str]:
    answers = {**VALID["iot-ai-robot-subsidy"]}
    answers["budget"] = {**answers["budget"], "eligible_cost": cost}
    check = fill(client, start(client, SUBSIDY), answers)
    return check, client.get(check).get_data(as_text=True)


@pytest.mark.parametrize(
    ("cost", "amount", "shown"),
    [
        ("1,234,567", 500000, "500,000円"),  # half is 617,283.5: capped at 500,000
        ("301,999", 150000, "150,000円"),  # half is 150,999.5: rounded down to the thousand
        ("¥1,999", 0, "0円"),
    ],
)
def test_the_subsidy_amount_is_computed_on_the_check_page(
    client: FlaskClient, demo, cost: str, amount: int, shown: str
) -> None:
    sign_in(client, "resident@example.jp")
    _, page = _subsidy_check_page(client, cost)
    assert f'data-computed="subsidy_amount" data-value="{amount}"' in page
    assert "補助金交付申請額" in page and f"<strong>{shown}</strong>" in page
    # After the answers, before the place to send them.
    assert (
        page.index("事業完了予定日")
        < page.index("補助金交付申請額")
        < page.index("data-prevent-double-click")
    )


def test_the_subsidy_amount_is_shown_in_english(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    client.set_cookie("lang", "en")
    _, page = _subsidy_check_page(client, "800000")
    assert "Subsidy requested" in page and "<strong>¥400,000</strong>" in page


def test_the_subsidy_amount_follows_changed_answers(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    check, page = _subsidy_check_page(client, "1,234,567")
    assert 'data-value="500000"' in page
    budget = {**VALID["iot-ai-robot-subsidy"]["budget"], "eligible_cost": "240,500"}
    changed = client.post(check.replace("/check", "/pages/budget?return=check"), data=budget)
    assert changed.headers["Location"].endswith("/check")
    assert 'data-value="120000"' in client.get(check).get_data(as_text=True)


def test_procedures_without_computed_values_show_none(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    check = fill(client, start(client), VALID["accessible-parking"])
    assert "data-computed" not in client.get(check).get_data(as_text=True)


def test_the_subsidy_amount_reaches_the_resident_staff_and_the_notice(
    app: Flask, client: FlaskClient, demo
) -> None:
    from tests.integration.test_notices import pdf_text, stored

    sign_in(client, "resident@example.jp")
    check, _ = _subsidy_check_page(client, "301,999")
    assert client.post(check).status_code == 302
    ident = application_id(check)
    detail = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert 'data-value="150000"' in detail and "150,000円" in detail
    # The demo route: 回議 (clerk, chief) → 合議 (finance) → 決裁 by the section chief,
    # whose authority tier covers costs up to 500,000 yen.
    for email, action in (
        ("clerk@sangyo.pref.example.jp", "pass"),
        ("chief@sangyo.pref.example.jp", "pass"),
        ("section-chief@zaimu.pref.example.jp", "consent"),
        ("section-chief@sangyo.pref.example.jp", "approve"),
    ):
        client.post("/account/logout")
        sign_in(client, email)
        staff = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
        assert 'data-value="150000"' in staff and "補助金交付申請額" in staff
        act(client, ident, action, load(app, ident).lock_version)
    from portal.decisions.models import Notice
    from portal.extensions import db

    with app.app_context():
        notice = db.session.query(Notice).one()
        db.session.expunge(notice)
    text = pdf_text(stored(app, notice))
    assert re.search(r"補助金交付申請額\s+150,000円", text), text
    assert "補助金交付決定通知書" in text and "産業政策課" in text


# Conditions that matter in the samples -------------------------------------------------


def test_the_disability_selection_requires_the_accommodation_text(
    app: Flask, client: FlaskClient, demo
) -> None:
    answers = VALID["teacher-recruitment-exam"]
    pages = list(answers)
    sign_in(client, "resident@example.jp")
    url = fill(
        client,
        start(client, "/procedures/midori-pref/teacher-recruitment-exam"),
        {page: answers[page] for page in pages[: pages.index("accommodation")]},
    )
    refused = client.post(url, data={"accommodation": ""})
    assert refused.status_code == 422
    assert 'href="#field-accommodation"' in refused.get_data(as_text=True)


def test_general_selection_skips_career_and_accommodation_is_optional(
    app: Flask, client: FlaskClient, demo
) -> None:
    answers = {**VALID["teacher-recruitment-exam"]}
    answers["category"] = {"school_level": "elementary"}  # no subject page for elementary
    answers["selection"] = {"venue": "midori_city"}
    answers["accommodation"] = {"accommodation": ""}
    for skipped in ("subject", "career"):
        del answers[skipped]
    sign_in(client, "resident@example.jp")
    first = start(client, "/procedures/midori-pref/teacher-recruitment-exam")
    check = fill(client, first, answers)
    assert check.endswith("/check")
    assert client.post(check).status_code == 302
    stored = load(app, application_id(first)).answers
    assert stored["school_level"] == "elementary" and "subject_junior_high" not in stored


def test_an_individual_needs_no_corporate_number(app: Flask, client: FlaskClient, demo) -> None:
    answers = {**VALID["fertiliser-production"]}
    answers["business"] = {
        **answers["business"],
        "entity_type": "individual",
        "corporate_number": "",
    }
    sign_in(client, "resident@example.jp")
    first = start(client, "/procedures/midori-pref/fertiliser-production")
    check = fill(client, first, answers)
    assert client.post(check).status_code == 302
    stored = load(app, application_id(first)).answers
    assert stored["entity_type"] == "individual" and "corporate_number" not in stored
    assert stored["fertiliser_kinds"] == {
        "values": ["compost", "manure", "__other__"],
        "other": "もみがらくん炭",
    }


@pytest.mark.parametrize("slug", ["event-signup", "resident-survey"])
def test_sign_ups_and_surveys_are_accepted_in_one_step_by_the_reviewer(
    app: Flask, client: FlaskClient, demo, slug: str
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, f"/procedures/sakura-town/{slug}")
    check = fill(client, first, VALID[slug])
    assert client.post(check).status_code == 302
    ident = application_id(check)
    client.post("/account/logout")
    sign_in(client, "reviewer@sakura.example.jp")
    response = act(client, ident, "approve", load(app, ident).lock_version, tenant="sakura-town")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert load(app, ident).status == "completed"
