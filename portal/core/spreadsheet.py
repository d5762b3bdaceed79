"""CSV files that Excel opens correctly in Japanese, and that never run as formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from flask import Response, stream_with_context

#: Excel reads a CSV file as Shift_JIS unless it starts with a UTF-8 byte order mark.
BOM = "\ufeff"
#: A cell starting with one of these runs as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text line by line: BOM first, CRLF line ends, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()


def download_headers(response: Response, name: str) -> Response:
    """Mark a response as a private download that browsers must not sniff."""
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], name: str) -> Response:
    """Stream a CSV download (rows are read as they are sent, so exports of any size fit)."""
    body = (line.encode("utf-8") for line in csv_lines(header, rows))
    response = Response(stream_with_context(body), mimetype="text/csv")
    return download_headers(response, name)
