"""Notice templates per procedure version: the official frame, the default bodies
(許可通知書, 決定通知書, 不許可／却下通知書 with 教示), a procedure's own sandboxed body,
and the checks that refuse a broken or dangerous template when it is published."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forms import DefinitionError
from portal.catalog.models import Procedure
from portal.catalog.operations import publish_version, validate_document
from portal.catalog.queries import latest_version
from portal.core.uow import commit
from portal.extensions import db
from tests.integration.test_notices import decided_notice, pdf_text, record_fetches, stored

DEMO = Path(__file__).resolve().parents[2] / "portal" / "demo" / "procedures"


def republish_parking(app: Flask, **notice: Any) -> None:
    """Publish the parking permit again with these notice settings, without its own
    titles and bodies (so the defaults show); ``None`` removes a setting."""
    with app.app_context():
        procedure = db.session.scalar(
            select(Procedure).where(Procedure.slug == "accessible-parking")
        )
        assert procedure is not None
        document = copy.deepcopy(latest_version(procedure).document)  # type: ignore[union-attr]
        texts = {"subject": document["notice"]["subject"]}
        texts.update({key: value for key, value in notice.items() if value is not None})
        document["notice"] = texts
        publish_version(procedure, document, actor=None)
        commit()


def flat(text: str) -> str:
    """PDF text without its line breaks and spaces (Japanese wraps anywhere)."""
    return "".join(text.split())


def no_seal_box(text: str) -> bool:
    """No 印 anywhere except in 押印を省略 (the seal block says the stamp is omitted)."""
    return "印" not in text.replace("押印を省略", "") and "㊞" not in text


def test_permit_approval_is_a_kyoka_tsuchisho_in_the_official_layout(
    app: Flask, client: FlaskClient, demo
) -> None:
    republish_parking(app, kind="permit")
    _, notice = decided_notice(app, client)
    text = pdf_text(stored(app, notice))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # Number and date first, then the addressee, the issuer, the title and the subject.
    order = [
        next(i for i, line in enumerate(lines) if marker in line)
        for marker in (
            "みどり県電第",
            "令和",
            "様",
            "みどり県知事",
            "許可通知書",
            "おもいやり駐車場利用証の交付について",
        )
    ]
    assert order == sorted(order), lines[:12]
    body = flat(text)
    assert "申請のあったおもいやり駐車場利用証交付申請について、下記のとおり許可する。" in body
    assert "記" in lines and "許可番号" in body and "許可を受けた者" in body
    assert "教示" not in body  # an approval has nothing to appeal
    assert "押印を省略" in body and notice.public_id in body
    assert no_seal_box(text)


def test_decision_is_the_default_kind(app: Flask, client: FlaskClient, demo) -> None:
    republish_parking(app)
    _, notice = decided_notice(app, client)
    body = flat(pdf_text(stored(app, notice)))
    assert "決定通知書" in body and "下記のとおり決定する。" in body
    assert "許可する" not in body and no_seal_box(body)


@pytest.mark.parametrize(
    ("kind", "title", "sentence", "heading"),
    [
        ("permit", "不許可通知書", "下記の理由により許可しない。", "不許可の理由"),
        ("decision", "却下通知書", "下記の理由により却下する。", "却下の理由"),
    ],
)
def test_refusals_have_the_reason_and_the_appeal_instructions(
    app: Flask, client: FlaskClient, demo, kind: str, title: str, sentence: str, heading: str
) -> None:
    republish_parking(app, kind=kind)
    _, notice = decided_notice(app, client, outcome="reject")
    text = pdf_text(stored(app, notice))
    body = flat(text)
    for expected in (
        title,
        sentence,
        heading,
        "所得要件を満たさないため",
        "教示",
        "審査請求",
        "みどり県を被告",
    ):
        assert expected in body, expected
    assert no_seal_box(text)


def test_a_procedures_own_template_fills_the_body_only(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched = record_fetches(monkeypatch)
    template = (
        "{% if approved %}<p class='indent'>{{ addressee }}様の利用証を{{ answer_by_id.copies }}枚"
        "交付します。</p>{% else %}<p>交付しません。</p>{% endif %}\n"
        "<table><tr><th>受付番号</th><td>{{ reference }}</td></tr></table>\n"
        # Attempts to hide the seal block, fetch a file or draw something are dropped.
        "<style>.seal { display: none }</style><img src='file:///etc/passwd'>"
        "<div style='position:absolute'><a href='https://tracker.invalid/'>リンク</a></div>"
    )
    republish_parking(app, kind="permit", template=template)
    _, notice = decided_notice(app, client)
    text = pdf_text(stored(app, notice))
    body = flat(text)
    assert "山田花子様の利用証を1枚交付します。" in body
    # The frame is the portal's: number, title, opening sentence, 記 and the seal block.
    for expected in (
        "みどり県電第",
        "許可通知書",
        "下記のとおり許可する。",
        "電子署名付き文書",
        notice.public_id,
    ):
        assert expected in body, expected
    assert "display" not in body and "etc/passwd" not in body and "tracker.invalid" not in body
    assert len(fetched) == 1 and fetched[0].startswith("data:image/svg+xml")  # the QR code
    assert no_seal_box(text)


def test_a_procedures_own_template_cannot_drop_the_refusals_reason_or_kyoji(
    app: Flask, client: FlaskClient, demo
) -> None:
    republish_parking(app, template="<p>{{ subject }}</p>")
    _, notice = decided_notice(app, client, outcome="reject")
    body = flat(pdf_text(stored(app, notice)))
    assert "所得要件を満たさないため" in body and "教示" in body and "電子署名付き文書" in body


def _document(**notice: Any) -> dict[str, Any]:
    import json

    document = json.loads((DEMO / "accessible_parking.json").read_text("utf-8"))
    document["notice"].update(notice)
    return document


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        (
            "<p>{{ addressee }}</p>\n{% if approved %}\n<p>{{ reason }</p>",
            "notice.template: line 3:",
        ),
        ("{% include '_frame.html' %}", "cannot include, import or extend"),
        ("{% extends '_frame.html' %}", "cannot include, import or extend"),
        ("<p>{{ password }}</p>", "unknown value 'password'"),
        ("<table><tr><td>印</td></tr></table>", "no 印 box"),
        ("<p>（印）</p>", "no 印 box"),
        ("<p>{{ subject.__class__.__mro__ }}</p>", "cannot be rendered: SecurityError"),
        ("<p>{{ answer_by_id.no_such_question }}</p>", "cannot be rendered: UndefinedError"),
    ],
)
def test_broken_or_dangerous_templates_are_refused_when_published(
    app: Flask, template: str, problem: str
) -> None:
    with app.app_context(), pytest.raises(DefinitionError) as refused:
        validate_document(_document(template=template))
    assert all(p.startswith("notice.template: ") for p in refused.value.problems)
    assert problem in "; ".join(refused.value.problems)


def test_good_templates_and_kinds_pass_and_unknown_kinds_do_not(app: Flask) -> None:
    with app.app_context():
        validate_document(
            _document(kind="permit", template="<p>{{ answer_by_id.name }}：{{ date_wareki }}</p>")
        )
        validate_document(_document(kind="decision"))
        with pytest.raises(DefinitionError) as refused:
            validate_document(_document(kind="license"))
    assert "notice/kind" in "; ".join(refused.value.problems)


def test_importing_a_file_with_a_broken_template_names_the_line(
    app: Flask, demo, tmp_path: Path
) -> None:
    import json

    path = tmp_path / "parking.json"
    path.write_text(
        json.dumps(_document(template="<p>\n{{ addressee }}\n{{ reason }</p>"), ensure_ascii=False)
    )
    result = app.test_cli_runner().invoke(
        args=["procedures", "import", "midori-pref", "accessible-parking", str(path)]
    )
    assert result.exit_code != 0
    assert "notice.template: line 3:" in result.output


def test_the_receipt_has_the_official_layout_and_no_seal_box(
    app: Flask, client: FlaskClient, demo, tmp_path: Path
) -> None:
    from tests.integration.journey import submit_parking

    ident = submit_parking(client)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(client.get(f"/applications/{ident}/receipt.pdf").data)
    text = pdf_text(path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    order = [
        next(i for i, line in enumerate(lines) if marker in line)
        for marker in ("受付番号 MDR-", "令和", "山田 花子", "みどり県 福祉政策課", "受付票")
    ]
    assert order == sorted(order), lines[:8]
    assert "印" not in text and "㊞" not in text
