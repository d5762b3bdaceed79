"""PDF rendering: a sandboxed template of plain values, printed by WeasyPrint offline.

Answers are data, never markup: the template autoescapes everything, and the URL
fetcher refuses every address except inline ``data:`` images the portal made itself,
so ``<img src="file:///etc/passwd">`` in an answer can neither print as markup nor
fetch anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from html.parser import HTMLParser
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
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


def html_to_pdf(html: str) -> bytes:
    """Print rendered HTML to PDF bytes, offline."""
    document = HTML(string=html, url_fetcher=OfflineFetcher(), base_url="about:blank")
    pdf: bytes = document.write_pdf()
    return pdf


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a PDF template with plain values to PDF bytes."""
    return html_to_pdf(render_html(template, context))


# --- Template fragments written by administrators (a procedure's notice template) ---

#: A separate sandbox without a loader: a fragment can neither include, import nor
#: extend another template (the official frame around it stays the portal's).
_fragments = ImmutableSandboxedEnvironment(loader=None, autoescape=True, undefined=StrictUndefined)

#: What a fragment may print: text structure only. No images, no styles, no links, so
#: it can neither hide the frame's seal block nor draw an 印 box of its own.
FRAGMENT_TAGS = frozenset(
    [
        "p",
        "br",
        "hr",
        "div",
        "span",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "small",
        "sub",
        "sup",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
    ]
)
FRAGMENT_CLASSES = frozenset(("right", "center", "indent", "note", "amount"))
_VOID = frozenset(("br", "hr"))
_DROPPED = frozenset(("script", "style", "title", "head", "svg", "math", "template", "object"))
#: An 印 box: an element whose whole text is 印 (or ㊞), alone or in brackets.
_SEAL_BOX = re.compile(r"㊞|>\s*[(（〔［\[]?\s*印\s*[)）〕］\]]?\s*<")


class _Sanitiser(HTMLParser):
    """Re-serialise HTML keeping only FRAGMENT_TAGS, balanced, with safe attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
        if self.dropping or tag not in FRAGMENT_TAGS:
            return
        kept = []
        for name, value in attrs:
            if name in ("colspan", "rowspan") and (value or "").isdigit():
                kept.append(f' {name}="{int(value or 1)}"')
            elif name == "class":
                classes = [c for c in (value or "").split() if c in FRAGMENT_CLASSES]
                if classes:
                    kept.append(f' class="{" ".join(classes)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data))

    def result(self) -> Markup:
        self.close()
        self.out.extend(f"</{tag}>" for tag in reversed(self.open))
        self.open = []
        # Every piece above is escaped text or a tag and attribute from the allow-lists.
        return Markup("".join(self.out))  # noqa: S704


def sanitise_fragment(html: str) -> Markup:
    """Keep only the text structure of ``html``: allowed tags, balanced, no styles or URLs."""
    sanitiser = _Sanitiser()
    sanitiser.feed(html)
    return sanitiser.result()


def render_fragment(source: str, context: dict[str, Any]) -> Markup:
    """Render an administrator's template in the sandbox, then keep only its text structure."""
    return sanitise_fragment(_fragments.from_string(source).render(**context))


def fragment_problems(
    source: str, names: Iterable[str], samples: Iterable[dict[str, Any]] = ()
) -> list[str]:
    """What is wrong with a fragment: syntax (with its line), includes, unknown values,
    an 印 box, or an error when rendered with each sample context."""
    try:
        tree = _fragments.parse(source)
    except TemplateSyntaxError as error:
        return [f"line {error.lineno}: {error.message}"]
    problems = [
        f"line {node.lineno}: a notice template cannot include, import or extend templates"
        for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport))
    ]
    unknown = sorted(meta.find_undeclared_variables(tree) - set(names))
    problems += [f"unknown value {name!r}" for name in unknown]
    if _SEAL_BOX.search(source):
        problems.append("no 印 box: notices carry an electronic seal instead of a stamp")
    if problems:
        return problems
    for sample in samples:
        try:
            render_fragment(source, sample)
        except Exception as error:  # the sandbox's and the template's own errors alike
            return [f"cannot be rendered: {type(error).__name__}: {error}"]
    return []
