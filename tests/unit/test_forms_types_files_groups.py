"""File attachments (checked by content) and repeating groups."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from typing import Any

import pytest

from forms.definition import build_form, check_document
from forms.fields import field_type
from forms.fields.files import (
    clean_name,
    descriptors,
    format_size,
    inspect_upload,
    raw_files,
    sniff,
)
from forms.fields.groups import item_fields, item_limits, with_item_added, with_item_removed
from forms.migration import migrate_answers
from forms.model import DefinitionError, Field, Problem
from forms.validation import clean_page, revalidate, summary
from tests.unit.test_forms_types_common import _with_fields

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


def _office(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


def file_field(**params: Any) -> Field:
    """A file field named "doc"."""
    return Field("doc", "file", {"ja": "添付書類", "en": "Documents"}, params=params)


def upload(field: Field, name: str, data: bytes, token: str = "t1") -> dict[str, Any]:
    """What the portal stores for an accepted upload."""
    descriptor, problems = inspect_upload(field, name, data)
    assert problems == []
    return {"id": token, **descriptor}


# Sniffing and inspecting uploads -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (_office("word/document.xml"), "docx"),
        (_office("xl/workbook.xml"), "xlsx"),
        (b"<html><script>alert(1)</script></html>", None),
        (b"MZ\x90\x00\x03", None),  # a Windows program
        (b"GIF89a" + b"\x00" * 10, None),  # an image kind no field accepts
        (b"", None),
    ],
)
def test_sniff_recognises_kinds_by_content(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind


def test_an_accepted_upload_gets_a_descriptor() -> None:
    f = file_field()
    descriptor, problems = inspect_upload(f, "C:\\Users\\hanako\\診断書.pdf", PDF)
    assert problems == []
    assert descriptor == {
        "name": "診断書.pdf",
        "size": len(PDF),
        "type": "application/pdf",
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }


def test_the_name_does_not_decide_the_kind() -> None:
    f = file_field()
    # A PNG named .pdf is a PNG; an HTML page named .pdf is refused.
    assert inspect_upload(f, "photo.pdf", PNG)[0]["type"] == "image/png"
    descriptor, problems = inspect_upload(f, "report.pdf", b"<html>hello</html>")
    assert descriptor == {}
    assert problems == [
        Problem("doc", "file_type", {"name": "report.pdf", "allowed": "PDF, JPEG, PNG"})
    ]


def test_kinds_follow_accept() -> None:
    f = file_field(accept=["xlsx"])
    assert inspect_upload(f, "a.xlsx", _office("xl/workbook.xml"))[1] == []
    assert inspect_upload(f, "a.pdf", PDF)[1] == [
        Problem("doc", "file_type", {"name": "a.pdf", "allowed": "Excel"})
    ]


def test_size_limits() -> None:
    f = file_field(max_size_mb=0.001)  # 1,048 bytes
    assert inspect_upload(f, "big.pdf", PDF + b"0" * 2000)[1] == [
        Problem("doc", "file_too_large", {"name": "big.pdf", "max": "1 KB"})
    ]
    assert inspect_upload(f, "empty.pdf", b"")[1] == [
        Problem("doc", "file_empty", {"name": "empty.pdf"})
    ]
    assert inspect_upload(f, "ok.pdf", PDF)[1] == []


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../etc/passwd", "passwd"),
        ("/home/hanako/a.pdf", "a.pdf"),
        ("a\x00b.pdf", "a_b.pdf"),
        ("\u202ecod.pdf", "_cod.pdf"),
        ("\ufeff申請書.pdf", "申請書.pdf"),
        ("..", "file"),
        ("", "file"),
        ("ｶ\u3099.pdf", "ｶ\u3099.pdf"),
        ("か\u3099.pdf", "が.pdf"),
    ],
)
def test_file_names_are_cleaned(name: str, cleaned: str) -> None:
    assert clean_name(name) == cleaned


def test_long_file_names_keep_their_extension() -> None:
    cleaned = clean_name("長" * 300 + ".pdf")
    assert len(cleaned) <= 120
    assert cleaned.endswith(".pdf")


def test_format_size() -> None:
    assert [format_size(n) for n in (0, 1023, 1024, 183204, 2_202_009, 31_457_280)] == [
        "0 B",
        "1023 B",
        "1 KB",
        "178 KB",
        "2.1 MB",
        "30 MB",
    ]


# Cleaning what the field holds ---------------------------------------------------------


def test_a_file_field_holds_descriptors() -> None:
    f = file_field(max_files=2)
    files = [upload(f, "a.pdf", PDF, "t1"), upload(f, "b.png", PNG, "t2")]
    value, problems = field_type("file").clean_inputs(f, {"doc": raw_files(files)})
    assert (value, problems) == (files, [])
    assert (
        field_type("file").display(f, value, "ja")
        == f"a.pdf（{len(PDF)} B）、b.png（{len(PNG)} B）"
    )
    assert (
        field_type("file").display(f, value, "en") == f"a.pdf ({len(PDF)} B), b.png ({len(PNG)} B)"
    )
    # The file input itself shows nothing: browsers never prefill one.
    assert field_type("file").form_values(f, value) == {"doc": ""}


def test_too_many_files_and_required() -> None:
    f = file_field(max_files=1)
    files = [upload(f, "a.pdf", PDF, "t1"), upload(f, "b.pdf", PDF, "t2")]
    assert field_type("file").clean_inputs(f, {"doc": raw_files(files)})[1] == [
        Problem("doc", "too_many_files", {"max": 1})
    ]
    required = Field("doc", "file", {"ja": "添付"}, required=True)
    assert field_type("file").clean_inputs(required, {}) == (None, [Problem("doc", "required")])


@pytest.mark.parametrize(
    "tamper",
    [
        {"size": 0},
        {"size": "10"},
        {"sha256": "x" * 64},
        {"id": ""},
        {"extra": 1},
    ],
)
def test_tampered_descriptors_are_refused(tamper: dict[str, Any]) -> None:
    f = file_field()
    descriptor = {**upload(f, "a.pdf", PDF), **tamper}
    assert field_type("file").clean_inputs(f, {"doc": raw_files([descriptor])}) == (
        None,
        [Problem("doc", "invalid_value")],
    )
    assert descriptors([descriptor]) == []


def test_limits_are_checked_again_on_stored_descriptors() -> None:
    # A stored PNG no longer acceptable (the field now takes PDF only) is reported.
    accepted = upload(file_field(), "a.png", PNG)
    stricter = file_field(accept=["pdf"])
    problems = field_type("file").clean_inputs(stricter, {"doc": raw_files([accepted])})[1]
    assert problems == [Problem("doc", "file_type", {"name": "a.png", "allowed": "PDF"})]
    large = {**accepted, "type": "application/pdf", "size": 11 * 1024 * 1024}
    problems = field_type("file").clean_inputs(stricter, {"doc": raw_files([large])})[1]
    assert problems == [Problem("doc", "file_too_large", {"name": "a.png", "max": "10 MB"})]


@pytest.mark.parametrize("raw", [["{"], ["[]"], ['"a.pdf"'], ["x" * 2000], [json.dumps([1])]])
def test_junk_instead_of_descriptors(raw: list[str]) -> None:
    assert field_type("file").clean_inputs(file_field(), {"doc": raw})[1] == [
        Problem("doc", "invalid_value")
    ]


# Repeating groups ----------------------------------------------------------------------

CHILDREN: dict[str, Any] = {
    "id": "children",
    "type": "group",
    "required": True,
    "max_items": 3,
    "label": {"ja": "お子さん", "en": "Children"},
    "item_label": {"ja": "お子さん", "en": "Child"},
    "fields": [
        {"id": "name", "type": "text", "required": True, "label": {"ja": "氏名", "en": "Name"}},
        {
            "id": "birth",
            "type": "date",
            "required": True,
            "label": {"ja": "生年月日", "en": "Born"},
        },
        {
            "id": "relation",
            "type": "choice",
            "label": {"ja": "続柄", "en": "Relation"},
            "options": [
                {"value": "son", "label": {"ja": "長男", "en": "Son"}},
                {"value": "daughter", "label": {"ja": "長女", "en": "Daughter"}},
            ],
        },
    ],
}


def children_page() -> Any:
    return build_form({"pages": [{"id": "kids", "title": {"ja": "子"}, "fields": [CHILDREN]}]})


def test_a_group_cleans_each_item() -> None:
    form = children_page()
    raw = {
        "children.count": ["2"],
        "children.0.name": ["山田　花子"],
        "children.0.birth": ["令和2年4月1日"],
        "children.0.relation": ["daughter"],
        "children.1.name": ["山田 一郎"],
        "children.1.birth": ["2023-01-05"],
        "children.2.name": ["ignored: the page showed two items"],
    }
    result = clean_page(form.pages[0], raw, {})
    assert result.problems == ()
    assert result.values["children"] == [
        {"name": "山田 花子", "birth": "2020-04-01", "relation": "daughter"},
        {"name": "山田 一郎", "birth": "2023-01-05", "relation": None},
    ]
    answers = dict(result.values)
    assert revalidate(form, answers) == []
    shown = summary(form, answers, "ja")[0]["rows"][0]["value"]
    assert shown.splitlines() == [
        "お子さん 1：氏名 山田 花子、生年月日 令和2年4月1日（2020年4月1日）、続柄 長女",
        "お子さん 2：氏名 山田 一郎、生年月日 令和5年1月5日（2023年1月5日）",
    ]
    rows = field_type("group").rows(form.field("children"), answers["children"], "en")
    assert rows[0][2] == ("Relation", "Daughter")


def test_problems_name_the_item_and_the_question() -> None:
    form = children_page()
    raw = {"children.count": ["2"], "children.0.name": ["花子"], "children.0.birth": ["2020-01-01"]}
    problems = clean_page(form.pages[0], raw, {}).problems
    assert problems == (
        Problem("children", "required", {"item": 2, "subfield": "name"}),
        Problem("children", "required", {"item": 2, "subfield": "birth"}),
    )


def test_item_counts_are_kept_within_the_limits() -> None:
    group = children_page().field("children")
    kind = field_type("group")
    assert item_limits(group) == (1, 3)
    # A count beyond the limits is clamped; one that is not a number is refused.
    value, problems = kind.clean_inputs(group, {"children.count": ["99"]})
    assert len(value) == 3
    assert problems and all(p.params["item"] <= 3 for p in problems)
    assert kind.clean_inputs(group, {"children.count": ["-1"]}) == (
        None,
        [Problem("children", "invalid_value")],
    )
    # Required with no item shown: one empty item is asked for.
    value, problems = kind.clean_inputs(group, {"children.count": ["0"]})
    assert len(value) == 1
    assert problems[0] == Problem("children", "required", {"item": 1, "subfield": "name"})


def test_an_optional_group_may_be_empty_and_min_items_counts() -> None:
    optional = {**CHILDREN, "required": False}
    group = build_form({"pages": [{"id": "p", "title": {"ja": "p"}, "fields": [optional]}]}).field(
        "children"
    )
    assert field_type("group").clean_inputs(group, {"children.count": ["0"]}) == (None, [])
    two = {**CHILDREN, "min_items": 2}
    group = build_form({"pages": [{"id": "p", "title": {"ja": "p"}, "fields": [two]}]}).field(
        "children"
    )
    value, problems = field_type("group").clean_inputs(
        group, {"children.count": ["1"], "children.0.name": ["a"], "children.0.birth": ["2020-1-1"]}
    )
    # The count is raised to the minimum, so the second item is asked for.
    assert len(value) == 2
    assert problems[0].params["item"] == 2


def test_a_group_inside_a_document_passes_the_schema() -> None:
    check_document(_with_fields({**copy.deepcopy(CHILDREN), "id": "more_children"}))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda g: g["fields"].append({**g["fields"][0]}), "'name' is used twice"),
        (
            lambda g: g["fields"].append(
                {"id": "g2", "type": "group", "label": {"ja": "x"}, "fields": [g["fields"][0]]}
            ),
            "a 'group' field cannot be inside a group",
        ),
        (
            lambda g: g["fields"].append({"id": "up", "type": "file", "label": {"ja": "x"}}),
            "a 'file' field cannot be inside a group",
        ),
        (
            lambda g: g["fields"][1].update(show_if={"field": "name", "op": "not_empty"}),
            "conditions are not supported inside a group",
        ),
        (lambda g: g.update(min_items=5), "min_items is greater than max_items"),
        (lambda g: g.pop("fields"), "'fields' is a required property"),
    ],
)
def test_bad_groups_are_refused_naming_the_place(change: Any, message: str) -> None:
    group = {**copy.deepcopy(CHILDREN), "id": "more_children"}
    change(group)
    with pytest.raises(DefinitionError, match=message):
        check_document(_with_fields(group))


def test_a_condition_may_look_at_whether_a_group_or_file_is_empty() -> None:
    form = build_form(
        {
            "pages": [
                {"id": "a", "title": {"ja": "a"}, "fields": [{**CHILDREN, "required": False}]},
                {
                    "id": "b",
                    "title": {"ja": "b"},
                    "fields": [
                        {
                            "id": "why_none",
                            "type": "text",
                            "label": {"ja": "理由"},
                            "required": True,
                            "show_if": {"field": "children", "op": "empty"},
                        }
                    ],
                },
            ]
        }
    )
    page = form.pages[1]
    assert clean_page(page, {}, {"children": None}).problems == (Problem("why_none", "required"),)
    kids = [{"name": "花子", "birth": "2020-01-01", "relation": None}]
    assert clean_page(page, {}, {"children": kids}).values == {"why_none": None}


def test_adding_and_removing_items_keeps_what_was_typed() -> None:
    group = children_page().field("children")
    raw = {
        "children.count": ["3"],
        "children.0.name": ["一"],
        "children.1.name": ["二"],
        "children.2.name": ["三"],
        "children.2.relation": ["son"],
        "other": ["kept"],
    }
    assert with_item_added(group, raw)["children.count"] == ["3"]  # already the most
    removed = with_item_removed(group, raw, 1)
    assert removed == {
        "children.count": ["2"],
        "children.0.name": ["一"],
        "children.1.name": ["三"],
        "children.1.relation": ["son"],
        "other": ["kept"],
    }
    assert with_item_added(group, removed)["children.count"] == ["3"]
    # The last item of a required group cannot go: an empty one stays.
    only = with_item_removed(group, {"children.count": ["1"], "children.0.name": ["一"]}, 0)
    assert only == {"children.count": ["1"]}


def test_item_fields_carry_the_prefix_of_their_inputs() -> None:
    group = children_page().field("children")
    fields = item_fields(group, 1)
    assert [f.id for f in fields] == ["children.1.name", "children.1.birth", "children.1.relation"]
    names = [name for f in fields for name in field_type(f.type).inputs(f)]
    assert set(names) <= set(field_type("group").inputs(group))


def test_blank_items_are_not_items_so_the_minimum_counts() -> None:
    optional = {
        **CHILDREN,
        "min_items": 2,
        "fields": [
            {"id": "name", "type": "text", "label": {"ja": "氏名"}},
            {"id": "note", "type": "text", "label": {"ja": "備考"}},
        ],
    }
    group = build_form({"pages": [{"id": "p", "title": {"ja": "p"}, "fields": [optional]}]}).field(
        "children"
    )
    kind = field_type("group")
    raw = {"children.count": ["3"], "children.0.name": ["一郎"], "children.2.note": ["x"]}
    value, problems = kind.clean_inputs(group, raw)
    assert value == [{"name": "一郎", "note": None}, {"name": None, "note": "x"}]
    assert problems == []
    value, problems = kind.clean_inputs(group, {"children.count": ["2"], "children.0.name": ["a"]})
    assert value == [{"name": "a", "note": None}]
    assert problems == [Problem("children", "too_few_items", {"min": 2})]


def test_moving_to_a_version_that_allows_fewer_items_names_the_group() -> None:
    old = build_form({"pages": [{"id": "p", "title": {"ja": "p"}, "fields": [CHILDREN]}]})
    fewer = {**CHILDREN, "max_items": 1}
    new = build_form({"pages": [{"id": "p", "title": {"ja": "p"}, "fields": [fewer]}]})
    kids = [
        {"name": "一郎", "birth": "2020-01-01", "relation": None},
        {"name": "二郎", "birth": "2021-01-01", "relation": None},
    ]
    migration = migrate_answers(old, new, {"children": kids})
    assert migration.dropped == ("children",)
    assert "children" not in migration.answers
    same = migrate_answers(old, old, {"children": kids})
    assert same.answers == {"children": kids} and same.dropped == ()
