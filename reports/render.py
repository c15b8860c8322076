"""Report formats: a registry of renderers keyed by format, `render_report` and
`render_parts` (a main report and its annex from one context)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from types import MappingProxyType

from jinja2 import Environment
from markupsafe import Markup

from assessment.response_columns import TableResponses
from assessment.responses import Responses
from assessment.result import AssessmentResult, result_json
from frameworks.languages import check_language
from frameworks.model import Framework
from frameworks.text import Lang
from questionnaires.model import Questionnaire

from . import pdf
from .brand import Brand, recolor_charts
from .context import build_context
from .errors import ReportError
from .pdf_worker import PDF_STYLESHEET, PdfWorker, pdf_maker
from .record import embedded_files, make_record
from .templating import environment, template_source
from .views import ReportContext

PARTS = ("full", "main", "annex")  # render_report's `part`, render_parts' `parts`
HTML_TEMPLATE = "report.html.j2"
MD_TEMPLATE = "report.md.j2"
STYLESHEET = PDF_STYLESHEET
SCREEN_STYLESHEET = "screen.css"
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Renderer:
    """One output format: how to make it from a context, and what the result is."""

    name: str
    media_type: str
    extension: str
    binary: bool
    render: Callable[[ReportContext, Environment], bytes]
    available: Callable[[], bool] = _always


_REGISTRY: dict[str, Renderer] = {}
FORMATS: Mapping[str, Renderer] = MappingProxyType(_REGISTRY)


def register_renderer(renderer: Renderer) -> None:
    """Add (or replace) the renderer of a format."""
    _REGISTRY[renderer.name] = renderer


def render_report(
    result: AssessmentResult,
    framework: Framework,
    questionnaire: Questionnaire,
    *,
    lang: Lang,
    fmt: str,
    template_dir: Path | str | None = None,
    previous: AssessmentResult | None = None,
    attachments: Sequence[tuple[str, bytes]] | None = None,
    pdf_variant: str | None = None,
    responses: Responses | TableResponses | None = None,
    brand: Brand | None = None,
    pdf_worker: PdfWorker | None = None,
    responses_file: bytes | None = None,
    part: str = "full",
) -> bytes:
    """A report of `result` in one language and format, as bytes ready to write; `previous`
    (an earlier result of the same organisation) adds a progress section. For PDFs only,
    `attachments` (name, bytes) are embedded as files, `pdf_variant` (e.g. "pdf/a-3u")
    selects a WeasyPrint PDF variant and `pdf_worker` (start_pdf_worker) lays the PDF out in
    a process that warmed up meanwhile. With `responses` (those scored), comments and evidence
    are shown under the questions; `brand` (reports.brand.load_brand) brands the report.
    A PDF given `responses_file` (the bytes scored) embeds them, the result and the record
    of this rendering (reports/record.py), which `crmm verify` renders again. `part` is the
    document: "full" (every section), "main" (the appendices A-E left out,
    for an annex) or "annex" (those appendices alone, after a cover of their own)."""
    return render_parts(
        result,
        framework,
        questionnaire,
        lang=lang,
        fmt=fmt,
        template_dir=template_dir,
        previous=previous,
        attachments=attachments,
        pdf_variant=pdf_variant,
        responses=responses,
        brand=brand,
        pdf_worker=pdf_worker,
        responses_file=responses_file,
        parts=(part,),
    )[0]


def render_parts(
    result: AssessmentResult,
    framework: Framework,
    questionnaire: Questionnaire,
    *,
    lang: Lang,
    fmt: str,
    template_dir: Path | str | None = None,
    previous: AssessmentResult | None = None,
    attachments: Sequence[tuple[str, bytes]] | None = None,
    pdf_variant: str | None = None,
    responses: Responses | TableResponses | None = None,
    brand: Brand | None = None,
    pdf_worker: PdfWorker | None = None,
    responses_file: bytes | None = None,
    parts: Sequence[str] = ("full",),
) -> tuple[bytes, ...]:
    """`render_report` of each of `parts` (e.g. "main" and "annex"), in that order, from one
    context: what the parts share (the context with its agreement figures, the embedded
    result) is computed once."""
    for part in parts:
        if part not in PARTS:
            raise ReportError(f"unknown report part {part!r} (known: {', '.join(PARTS)})")
    check_language(framework, lang)
    renderer = FORMATS.get(fmt)
    if renderer is None:
        raise ReportError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")
    if not renderer.available():
        raise ReportError(
            f"the {fmt} format is not available here"
            + (": install WeasyPrint and its libraries" if fmt == "pdf" else "")
        )
    if pdf_variant is not None and (fmt != "pdf" or pdf_variant not in pdf.variants()):
        raise ReportError(
            f"unknown PDF variant {pdf_variant!r} for format {fmt}"
            f" (known: {', '.join(pdf.variants())})"
        )
    folder = Path(template_dir).resolve() if template_dir is not None else None
    env = environment(folder)
    embeds = fmt == "pdf" and responses_file is not None
    result_bytes = result_json(result).encode() if embeds else None
    files_of: list[Sequence[tuple[str, bytes]] | None] = []
    for part in parts:
        files = attachments
        if embeds:
            assert responses_file is not None
            record = make_record(
                lang=lang,
                pdf_variant=pdf_variant,
                template_dir=folder,
                brand=brand,
                previous=previous,
                part=part,
            )
            embedded = embedded_files(result, responses_file, record, result_bytes)
            files = [*embedded, *(attachments or ())]
        files_of.append(files)
    ctx = build_context(result, framework, questionnaire, lang, previous, responses, brand=brand)
    out = []
    for part, files in zip(parts, files_of, strict=True):
        render = renderer.render
        if fmt == "pdf" and (files or pdf_variant or pdf_worker):
            render = partial(
                render_pdf, attachments=files or (), variant=pdf_variant, worker=pdf_worker
            )
        out.append(render(ctx if part == "full" else dataclasses.replace(ctx, part=part), env))
    return tuple(out)


@cache
def _screen_css(css: str, screen: str) -> Markup:
    """The stylesheet for standalone HTML: bundled font files left out (system fonts used)."""
    return Markup(_FONT_FACE.sub("", css) + "\n" + screen)


def _html(ctx: ReportContext, env: Environment, css: Markup) -> str:
    return recolor_charts(env.get_template(HTML_TEMPLATE).render(ctx=ctx, css=css), ctx.brand)


def render_html(ctx: ReportContext, env: Environment) -> bytes:
    """One self-contained HTML file: stylesheet and charts inline."""
    css = _screen_css(template_source(env, STYLESHEET), template_source(env, SCREEN_STYLESHEET))
    return _html(ctx, env, css).encode()


def render_pdf(
    ctx: ReportContext,
    env: Environment,
    *,
    attachments: Sequence[tuple[str, bytes]] = (),
    variant: str | None = None,
    worker: PdfWorker | None = None,
) -> bytes:
    """A paginated A4 PDF with the bundled fonts embedded (and any attached files)."""
    return pdf_maker(worker)(
        _html(ctx, env, Markup("")),
        template_source(env, STYLESHEET),
        attachments,
        variant,
        ctx.result.date,
    )


def render_md(ctx: ReportContext, env: Environment) -> bytes:
    """A Markdown report (no charts)."""
    return env.get_template(MD_TEMPLATE).render(ctx=ctx).encode()


def render_json(ctx: ReportContext, env: Environment) -> bytes:
    """The assessment result itself, as `crmm score --format json` writes it."""
    return result_json(ctx.result).encode()


for _renderer in (
    Renderer("pdf", "application/pdf", ".pdf", True, render_pdf, pdf.available),
    Renderer("html", "text/html; charset=utf-8", ".html", False, render_html),
    Renderer("md", "text/markdown; charset=utf-8", ".md", False, render_md),
    Renderer("json", "application/json", ".json", False, render_json),
):
    register_renderer(_renderer)


# --- DOCX report, XLSX action plan and PPTX board deck: python-docx, openpyxl and
# python-pptx load only when rendering ---


def _importable(module: str) -> Callable[[], bool]:
    def available() -> bool:
        from importlib.util import find_spec

        return find_spec(module) is not None

    return available


def render_docx(ctx: ReportContext, env: Environment) -> bytes:
    """An editable Word document (reports/docx_report.py)."""
    from .docx_report import render_docx as render

    return render(ctx, env)


def render_xlsx(ctx: ReportContext, env: Environment) -> bytes:
    """The action plan as a workbook (reports/xlsx_plan.py)."""
    from .xlsx_plan import render_xlsx as render

    return render(ctx, env)


def render_pptx(ctx: ReportContext, env: Environment) -> bytes:
    """The board deck as a PowerPoint presentation (reports/deck.py)."""
    from .deck import render_pptx as render

    return render(ctx, env)


for _renderer in (
    Renderer(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        True,
        render_docx,
        _importable("docx"),
    ),
    Renderer(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        True,
        render_xlsx,
        _importable("openpyxl"),
    ),
    Renderer(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
        True,
        render_pptx,
        lambda: _importable("pptx")() and _importable("pypdfium2")() and pdf.available(),
    ),
):
    register_renderer(_renderer)
