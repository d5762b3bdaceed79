"""PDF rendering: a sandboxed template of plain values, printed by WeasyPrint offline.

Answers are data, never markup: the template autoescapes everything, and the URL
fetcher refuses every address except inline ``data:`` images the portal made itself,
so ``<img src="file:///etc/passwd">`` in an answer can neither print as markup nor
fetch anything.
"""

from __future__ import annotations

from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from portal.config import ROOT

_env = ImmutableSandboxedEnvironment(
    loader=FileSystemLoader(str(ROOT / "templates" / "pdf")),
    autoescape=True,
    undefined=StrictUndefined,
)


class OfflineFetcher(URLFetcher):
    """Serves ``data:`` URLs only; every other fetch fails and is remembered."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",))
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch a data: URL, refuse anything else."""
        if not url.startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"fetching {url!r} is not allowed")
        return super().fetch(url, headers)


def render_html(template: str, context: dict[str, Any]) -> str:
    """Render a PDF template to HTML in the sandbox."""
    return _env.get_template(template).render(**context)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a PDF template with plain values to PDF bytes."""
    fetcher = OfflineFetcher()
    html = HTML(string=render_html(template, context), url_fetcher=fetcher, base_url="about:blank")
    pdf: bytes = html.write_pdf()
    return pdf
