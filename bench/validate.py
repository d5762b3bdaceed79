"""Benchmark: validating a 100-field definition with its answers (target < 5 ms median).

Run: .venv/bin/python bench/validate.py [--fields 100] [--repeat 200]
Prints the median and the 95th percentile of one full validation (every page cleaned
from raw form input, then the stored answers revalidated as on submit).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from forms import build_form, clean_page, revalidate

KINDS = ("text", "number", "date", "choice", "email", "textarea")


def _field(index: int) -> dict[str, Any]:
    kind = KINDS[index % len(KINDS)]
    field: dict[str, Any] = {
        "id": f"f{index}",
        "type": kind,
        "required": True,
        "label": {"ja": f"質問{index}", "en": f"Question {index}"},
    }
    if kind == "number":
        field.update(min=0, max=1000)
    if kind == "choice":
        field["options"] = [{"value": v, "label": {"ja": v}} for v in ("a", "b", "c")]
    if kind in ("text", "textarea"):
        field["max_length"] = 200
    return field


def _raw(field: dict[str, Any]) -> str:
    return {
        "text": "山田　花子",
        "number": "１２３",
        "date": "令和6年4月1日",
        "choice": "b",
        "email": "ｔａｒｏ＠example.jp",
        "textarea": "一行目\n二行目",
    }[field["type"]]


def main() -> None:
    """Time validation of a generated definition and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fields", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    fields = [_field(i) for i in range(args.fields)]
    pages = [
        {"id": f"p{n}", "title": {"ja": f"ページ{n}"}, "fields": fields[n : n + 10]}
        for n in range(0, len(fields), 10)
    ]
    form = build_form({"pages": pages})
    raw = {f["id"]: [_raw(f)] for f in fields}
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        answers: dict[str, Any] = {}
        for page in form.pages:
            result = clean_page(page, raw)
            assert result.ok, result.problems
            answers.update(result.values)
        assert revalidate(form, answers) == []
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{args.fields} fields, {args.repeat} runs: median {statistics.median(timings):.2f} ms, "
        f"p95 {p95:.2f} ms"
    )


if __name__ == "__main__":
    main()
