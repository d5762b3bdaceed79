"""The notice tab (通知書): the wording of the decision notice, its own body template,
and a PDF preview made from sample answers.

The frame of a notice (number, date, addressee, issuer, 教示, seal block) is the
portal's; a procedure chooses its subject, titles and opening sentences, and may print
its own body after 記 from a sandboxed template. The placeholders that template can use
are listed beside the form, so owners copy them instead of learning the values' names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import abort, flash, g, make_response, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from forms import editing, to_seireki, to_wareki
from portal.builder import operations
from portal.builder.views import back_to, bp, load, refused, render_tab, stale
from portal.catalog.models import Procedure
from portal.core.calendar import to_local_date
from portal.core.models import utcnow
from portal.core.policies import procedure_builder
from portal.decisions.context import (
    KINDS,
    NOTICE_VALUES,
    default_body,
    default_title,
    notice_kind,
    qr_data_uri,
    sample_contexts,
    template_for,
)
from portal.pdf.render import fragment_problems, render_fragment, render_pdf

PREFIX = "/<tenant_slug>/procedures/<int:procedure_id>/notice"
TEXTS = ("subject", "approved_title", "approved_body", "rejected_title", "rejected_body")
KIND_NAMES = {
    "decision": _l("Decision (決定通知書: 「下記のとおり決定する」), e.g. a subsidy or a benefit"),
    "permit": _l("Permit (許可通知書: 「下記のとおり許可する」), e.g. a licence"),
}
#: What each value of a notice prints, for the list beside the template (the QR code is
#: left out: the frame prints it, and a template prints text only).
VALUE_NAMES = {
    "document_number": _l("The official document number (文書番号)"),
    "date_wareki": _l("The date of the decision in the Japanese calendar (令和…)"),
    "date_seireki": _l("The date of the decision in the Western calendar"),
    "addressee": _l("The applicant's name"),
    "issuer_title": _l("The head of the government who issues the notice"),
    "government": _l("The name of the government"),
    "issuer_office": _l("The government and the department handling the procedure"),
    "office_phone": _l("The department's phone number"),
    "kind": _l("“permit” or “decision”"),
    "title": _l("The notice's title"),
    "subject": _l("The subject (件名)"),
    "body": _l("The opening sentence"),
    "approved": _l("Whether the application is approved: prints one text or the other"),
    "reason": _l("The reason of a refusal"),
    "reference": _l("The application's reference number"),
    "procedure_title": _l("The name of the procedure"),
    "submitted_on": _l("The date the application was sent"),
    "answers": _l("Every answer with its question"),
    "answer_by_id": _l("One answer by its question's id (see the answers above)"),
    "public_id": _l("The notice's verification id"),
    "verify_url": _l("The address where anyone can check the notice"),
    "fee": _l("The fee in yen (empty when there is none)"),
    "computed": _l("Every computed value with its name"),
}
#: Template code to copy for the values that are not printed as they are.
EXAMPLES = {
    "approved": "{% if approved %}承認の文{% else %}却下の文{% endif %}",
    "answers": (
        "{% for page in answers %}{% for row in page.rows %}"
        "{{ row.label }}：{{ row.value }}<br>{% endfor %}{% endfor %}"
    ),
    "answer_by_id": "{{ answer_by_id.<id> }}",
    "computed": "{% for row in computed %}{{ row.label }}：{{ row.text }}<br>{% endfor %}",
}
_LINE = re.compile(r"^line (\d+): (.*)$")
_UNKNOWN = re.compile(r"^unknown value '(.*)'$")


# The form -------------------------------------------------------------------------------


def _values(document: Mapping[str, Any]) -> dict[str, str]:
    notice = document.get("notice") or {}
    values = {key: str(notice.get(key) or "") for key in (*TEXTS, "template")}
    values["kind"] = notice_kind(document)
    return values


def _read(document: Mapping[str, Any], form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The notice as posted, and what is wrong with it."""
    errors: dict[str, str] = {}
    notice: dict[str, Any] = {}
    for key in TEXTS:
        typed = (form.get(key) or "").replace("\r\n", "\n").strip()
        if typed:
            notice[key] = typed
    if "subject" not in notice:
        errors["subject"] = _("Enter the subject of the notice, such as 犬の登録について.")
    kind = form.get("kind") or ""
    if kind not in KINDS:
        errors["kind"] = _("Choose the wording of an approval.")
    notice["kind"] = kind
    template = (form.get("template") or "").replace("\r\n", "\n")
    if template.strip():
        notice["template"] = template
        problems = fragment_problems(
            template, NOTICE_VALUES, sample_contexts({**document, "notice": notice})
        )
        if problems:
            errors["template"] = " ".join(_template_problem(p) for p in problems)
    return notice, errors


def _template_problem(problem: str) -> str:
    """One problem of pdf.render.fragment_problems, told to a procedure owner."""
    line = _LINE.match(problem)
    if line:
        return _("Line %(line)s of the body template: %(problem)s.", line=line.group(1),
                 problem=line.group(2))  # fmt: skip
    unknown = _UNKNOWN.match(problem)
    if unknown:
        return _(
            "The body template uses “%(name)s”, which is not one of the values listed "
            "beside the form.",
            name=unknown.group(1),
        )
    if problem.startswith("no 印 box"):
        return _("The body template draws a 印 box: notices carry an electronic seal instead.")
    return _("The body template cannot be printed with sample answers: %(problem)s",
             problem=problem)  # fmt: skip


def placeholders(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each question's answer as a template placeholder, with its Japanese label.

    A question asked only sometimes may have no answer: its placeholder gives an empty
    text then rather than stopping the notice.
    """
    found = []
    for page in (document.get("form") or {}).get("pages") or []:
        for field in page.get("fields") or []:
            if field.get("type") == "guidance" or "id" not in field:
                continue
            sometimes = bool(page.get("show_if") or field.get("show_if"))
            code = (
                f"{{{{ answer_by_id.get('{field['id']}', '') }}}}"
                if sometimes
                else f"{{{{ answer_by_id.{field['id']} }}}}"
            )
            label = (field.get("label") or {}).get("ja") or field["id"]
            found.append({"id": field["id"], "label": label, "code": code, "sometimes": sometimes})
    return found


def _context(document: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "kinds": list(KIND_NAMES.items()),
        "placeholders": placeholders(document),
        "value_names": [
            (EXAMPLES.get(name, f"{{{{ {name} }}}}"), meaning)
            for name, meaning in sorted(VALUE_NAMES.items())
        ],
    }


@bp.route(PREFIX, methods=["GET", "POST"], endpoint="notice")
@procedure_builder
def notice_page(tenant_slug: str, procedure_id: int) -> Any:
    """The notice's subject, wording and optional body template."""
    procedure, draft = load(procedure_id)
    context = _context(draft.document)
    if request.method == "GET":
        return render_tab("builder/notice.html", procedure, draft,
                          values=_values(draft.document), errors={}, **context)  # fmt: skip
    notice, errors = _read(draft.document, request.form)
    if errors:
        return refused("builder/notice.html", procedure, draft, values=request.form,
                       errors=errors, **context)  # fmt: skip
    try:
        operations.save_draft(draft, editing.set_notice(draft.document, notice), current_user,
                              "notice", item=notice["subject"])  # fmt: skip
    except StaleDataError:
        return stale()
    flash(_("The notice was saved."))
    return back_to("builder.notice", procedure)


# The preview ----------------------------------------------------------------------------


def sample_notice(
    procedure: Procedure, document: Mapping[str, Any], approved: bool
) -> tuple[str, dict[str, Any]]:
    """The template and values of a notice made from sample answers, marked as a sample.

    Shaped like portal.decisions.context.notice_context, with the government's and the
    department's real names so that the owner sees the notice as residents will.
    """
    texts = document.get("notice") or {}
    kind = notice_kind(document)
    today = to_local_date(utcnow())
    title = document["title"]["ja"]
    submitted_on = to_wareki(today)
    answers = _sample_answers(document)
    tenant = g.tenant
    sample = sample_contexts(document)[0 if approved else 1]
    context = {
        **sample,
        "document_number": "見本（サンプル）",
        "date_wareki": to_wareki(today),
        "date_seireki": to_seireki(today),
        "addressee": "見本　太郎",
        "issuer_title": tenant.head_title,
        "government": tenant.name_ja,
        "issuer_office": f"{tenant.name_ja} {procedure.department.name_ja}",
        "office_phone": procedure.department.phone,
        "title": texts.get("approved_title" if approved else "rejected_title")
        or default_title(kind, approved),
        "subject": f"【見本】{texts.get('subject', '')}",
        "body": texts.get("approved_body" if approved else "rejected_body")
        or default_body(kind, approved, title, submitted_on),
        "reason": "（見本）ここに不許可・却下の理由が入ります。",
        "reference": "見本",
        "procedure_title": title,
        "submitted_on": submitted_on,
        "answers": answers,
        "answer_by_id": {row["id"]: row["value"] for page in answers for row in page["rows"]},
        "public_id": "見本（サンプル）",
        # The frame then says the sample carries no seal, rather than that it does.
        "sample": True,
        "verify_url": "見本のため検証できません",
        "qr": qr_data_uri("見本（サンプル）"),
        "computed": [
            {"label": (item.get("label") or {}).get("ja") or item.get("id", ""), "text": "（見本）"}
            for item in document.get("computed") or []
        ],
    }
    template = template_for(document, approved)
    if template == "custom.html":
        context["custom_items"] = render_fragment(texts["template"], context)
    return template, context


def _sample_answers(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    pages = []
    for page in (document.get("form") or {}).get("pages") or []:
        rows = [
            {"id": f["id"], "type": f["type"], "label": (f.get("label") or {}).get("ja") or f["id"],
             "value": "（見本）"}
            for f in page.get("fields") or []
            if f.get("type") != "guidance"
        ]  # fmt: skip
        if rows:
            pages.append({"id": page["id"], "title": page["title"]["ja"], "rows": rows})
    return pages


def _sample_or_problems(
    procedure: Procedure, document: Mapping[str, Any], approved: bool
) -> tuple[tuple[str, dict[str, Any]] | None, list[str]]:
    """The sample notice's template and values, or why the draft's template cannot print."""
    source = (document.get("notice") or {}).get("template")
    problems = fragment_problems(source, NOTICE_VALUES, sample_contexts(document)) if source else []
    if problems:
        return None, problems
    try:
        return sample_notice(procedure, document, approved), []
    except Exception as error:  # the sandbox's and the template's own errors alike
        return None, [f"cannot be rendered: {type(error).__name__}: {error}"]


@bp.route(f"{PREFIX}/preview.pdf", endpoint="notice_preview")
@procedure_builder
def notice_preview(tenant_slug: str, procedure_id: int) -> Response:
    """The saved notice printed from sample answers: unsigned, marked 見本, never stored."""
    procedure, draft = load(procedure_id)
    outcome = request.args.get("outcome", "approved")
    if outcome not in ("approved", "rejected"):
        abort(404)
    made, problems = _sample_or_problems(procedure, draft.document, outcome == "approved")
    if made is None:
        for problem in problems:
            flash(_template_problem(problem), "error")
        return back_to("builder.notice", procedure)
    response = make_response(render_pdf(*made))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="notice-sample-{outcome}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response
