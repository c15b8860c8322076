"""The core commands: score, report, template, validate, schema, list, demo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from ..kinds import KINDS
from .base import (
    FRAMEWORK_OPT,
    OUTPUT_OPT,
    QUESTIONNAIRE_OPT,
    TABLE_JSON_OPT,
    TABLE_LANG_OPT,
    check_stdout,
    cli,
    lang_option,
    load_inputs,
    output_format,
    pick_lang,
    user_lang,
    write_or_echo,
    write_output,
)
from .benchmark import BENCHMARK_OPT, apply_benchmark
from .importing import PLATFORMS, import_options

if TYPE_CHECKING:
    from frameworks.langs import Lang

REPORT_SUFFIXES = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".json": "json",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pptx": "pptx",
}
BINARY_FORMATS = frozenset({"pdf", "docx", "xlsx", "pptx"})


@cli.command()
@click.argument("responses", type=click.Path(path_type=Path), required=False)
@click.option(
    "--batch",
    type=click.Path(path_type=Path, file_okay=False),
    help="Score every responses file in this folder; -o summary.csv or .xlsx.",
)
@TABLE_JSON_OPT
@OUTPUT_OPT
@click.option("--target-level", type=click.IntRange(2, 5), help="Level to recommend towards.")
@TABLE_LANG_OPT
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
@BENCHMARK_OPT
@click.option(
    "--from",
    "platform",
    type=click.Choice(PLATFORMS),
    help="RESPONSES is a survey export (or crmm workbook) to score directly; see crmm import.",
)
@import_options
def score(
    responses: Path | None,
    batch: Path | None,
    fmt: str,
    output: Path | None,
    target_level: int | None,
    lang: str | None,
    questionnaire: str | None,
    framework: str | None,
    benchmark: str | None,
    platform: str | None,
    **how: Any,
) -> None:
    """Score responses: per question, criterion, element and overall.

    With --batch DIR, score every responses file in a folder into one summary (CSV or XLSX).
    With --from PLATFORM, score a survey export without writing a responses file: the way
    for surveys of many thousand respondents (the import's options apply).
    """
    from ..engine import assess, result_json

    if platform is None and any(how.values()):
        raise click.UsageError("--mapping, --org, --date, --role, ... go with --from PLATFORM")
    if batch is not None or responses is None:
        from .compare import run_batch

        if batch is None or responses is not None:
            raise click.UsageError("give either RESPONSES or --batch DIR")
        return run_batch(batch, output, questionnaire, framework)

    if platform is not None:
        scored, fw = _score_export(responses, platform, questionnaire, framework, target_level, how)
        result = apply_benchmark(scored, benchmark)
    else:
        loaded, q, fw = load_inputs(responses, questionnaire, framework)
        result = apply_benchmark(assess(loaded, q, fw, target_level), benchmark)
    table_lang = pick_lang(fw, lang)
    if fmt == "json":
        write_or_echo(result_json(result), output)
    else:
        from ..table import score_table

        write_or_echo(score_table(result, fw, table_lang), output)


def _score_export(
    export: Path,
    platform: str,
    questionnaire: str | None,
    framework: str | None,
    target_level: int | None,
    how: dict[str, Any],
) -> tuple[Any, Any]:
    """A survey export scored from its answer table (`crmm score --from`), and the framework."""
    from frameworks.fileio import read_bytes, sha256_bytes

    from ..engine import assess_table
    from .importing import read_export

    conv, q, fw = read_export(export, platform, questionnaire, framework, text=False, **how)
    result = assess_table(
        conv.imported.table,
        q,
        fw,
        conv.organization,
        conv.date,
        export.name,
        sha256_bytes(read_bytes(export)),
        target_level,
    )
    return result, fw


@cli.command()
@click.argument("responses", type=click.Path(path_type=Path), required=False)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Report file to write."
)
@click.option(
    "--batch",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Render one report per responses file in this folder; -o is then a folder.",
)
@click.option("--jobs", type=click.IntRange(1), default=2, show_default=True, help="With --batch.")
@lang_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "html", "md", "json", "docx", "xlsx", "pptx"]),
    help="Report format (default: from the output file extension, else pdf).",
)
@click.option("--target-level", type=click.IntRange(2, 5), help="Level to recommend towards.")
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder of templates overriding the built-in ones.",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    metavar="RESULT",
    help="An earlier result (JSON) or responses file: show progress since then.",
)
@click.option(
    "--pdf-variant",
    metavar="VARIANT",
    help="PDF variant WeasyPrint supports, e.g. pdf/a-3u (archival, with the attachments).",
)
@click.option(
    "--brand",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="BRAND.yaml",
    help="A consultancy's brand file: name, logo, colours, footer, confidentiality line.",
)
@click.option(
    "--appendices",
    type=click.Choice(["auto", "full", "annex"]),
    default="auto",
    show_default=True,
    help="PDF: the appendices A-E (methodology, calculation, respondents, every answer,"
    " glossary) in the report (full), or written to a separate annex PDF beside it"
    " (annex: REPORT-annex.pdf). auto: annex for a self-assessment (no assessor) written to"
    " a PDF file, full for an assessor's audit, other formats and -o -.",
)
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
@BENCHMARK_OPT
def report(
    responses: Path | None,
    output: Path,
    batch: Path | None,
    jobs: int,
    lang: str | None,
    fmt: str | None,
    target_level: int | None,
    templates: Path | None,
    previous: Path | None,
    pdf_variant: str | None,
    brand: Path | None,
    appendices: str,
    questionnaire: str | None,
    framework: str | None,
    benchmark: str | None,
) -> None:
    """Write an evaluation report (PDF, HTML, Markdown, JSON, DOCX or an XLSX action plan).

    A PDF embeds the responses file, the result JSON and a record of how it was rendered;
    `crmm verify` renders it again from them and compares every page."""
    from frameworks.fileio import read_bytes
    from reports.brand import load_brand

    branding = load_brand(brand) if brand is not None else None
    if batch is not None or responses is None:
        from .report_batch import run_report_batch

        if batch is None or responses is not None:
            raise click.UsageError("give either RESPONSES or --batch DIR")
        if appendices == "annex" or any(
            x is not None for x in (target_level, templates, previous, pdf_variant, benchmark)
        ):
            raise click.UsageError(
                "--batch takes only -o, --jobs, --lang, --format, --questionnaire, --framework,"
                " --brand"
            )
        return run_report_batch(
            batch, output, lang, fmt or "pdf", jobs, questionnaire, framework, brand=branding
        )
    fmt = output_format(output, fmt, REPORT_SUFFIXES, "pdf")
    check_stdout(output, fmt in BINARY_FORMATS)
    if appendices == "annex" and fmt != "pdf":
        raise click.UsageError("--appendices annex writes PDFs only")
    if appendices == "annex":
        annex_path(output)  # a usage error on standard output, before any work
    from reports.pdf_worker import start_pdf_worker

    # WeasyPrint warms up in a worker process while this one scores and builds the report.
    worker = start_pdf_worker(templates) if fmt == "pdf" else None
    try:
        from reports.make import make_report

        from ..inputs import load_assessment

        if fmt == "pdf":
            for printed in (responses, brand):
                if printed is not None:
                    warn_missing_glyphs(printed)
        before = load_assessment(previous, questionnaire, framework)[0] if previous else None
        made = make_report(
            read_bytes(responses),
            str(responses),
            fmt=fmt,
            lang=cast("Lang | None", lang),
            default_lang=user_lang(),
            appendices=appendices,
            to_file=str(output) != "-",
            target_level=target_level,
            benchmark=benchmark,
            previous=before,
            brand=branding,
            template_dir=templates,
            pdf_variant=pdf_variant,
            questionnaire=questionnaire,
            framework=framework,
            pdf_worker=worker,
        )
        data, extra = made.data, made.annex
        annex = annex_path(output) if extra is not None else None
    finally:
        if worker is not None:
            worker.close()
    write_output(data, output, binary=fmt in BINARY_FORMATS)
    if annex is not None and extra is not None:
        write_output(extra, annex, binary=True)


def annex_path(output: Path) -> Path:
    """Where `--appendices annex` writes the annex: beside the report, `-annex` added to its
    name (report.pdf → report-annex.pdf)."""
    if str(output) == "-":
        raise click.UsageError("--appendices annex writes two files: give -o FILE.pdf")
    return output.with_name(f"{output.stem}-annex{output.suffix or '.pdf'}")


def warn_missing_glyphs(path: Path) -> None:
    """Warn once about the characters of a printed file (responses, brand) that no bundled
    font has (reports/glyphs.py)."""
    from frameworks.fileio import read_bytes
    from reports.glyphs import glyph_warning, missing_in_document

    warning = glyph_warning(missing_in_document(read_bytes(path), str(path)))
    if warning:
        click.echo(f"warning: {path}: {warning}", err=True)


@cli.command()
@click.argument("questionnaire", metavar="QUESTIONNAIRE")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file.")
@lang_option()
@click.option("--role", help="Only the questions for this respondent role.")
@FRAMEWORK_OPT
@click.option("--force", is_flag=True, help="Replace a responses file that holds answers.")
def template(
    questionnaire: str,
    output: Path | None,
    lang: str | None,
    role: str | None,
    framework: str | None,
    force: bool,
) -> None:
    """Write a blank responses file for a questionnaire.

    QUESTIONNAIRE is a built-in id (see `crmm list`) or a questionnaire file. A responses
    file that holds answers is not replaced without --force.
    """
    from frameworks.errors import InputError
    from questionnaires.loader import load_questionnaire

    from ..merging import check_overwrite
    from ..template import responses_template

    q, fw = load_questionnaire(questionnaire, framework)
    if role is not None and role not in q.role_by_id:
        raise InputError.one("--role", "", f"unknown role {role!r} ({', '.join(q.role_by_id)})")
    check_overwrite(output, 0, force=force, hint="write the template to another file")
    write_or_echo(responses_template(q, fw, pick_lang(fw, lang), role), output)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="Kind of file (default: detected from its `type` field).",
)
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
def validate(
    files: tuple[Path, ...], kind: str | None, questionnaire: str | None, framework: str | None
) -> None:
    """Check frameworks, questionnaires and responses files.

    FILES are paths, framework folders, or built-in ids (e.g. crm-maturity, full-audit).
    """
    from frameworks.errors import InputError

    from ..validate import validate_file

    problems = []
    for f in files:
        try:
            click.echo(validate_file(f, kind, framework, questionnaire))  # type: ignore[arg-type]
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)


@cli.command()
@click.argument(
    "kind",
    type=click.Choice(
        [
            "framework",
            "element",
            "recommendations",
            "glossary",
            "questionnaire",
            "responses",
            "result",
            "benchmark",
        ]
    ),
)
def schema(kind: str) -> None:
    """Print the JSON Schema of a file kind."""
    import json

    from ..result import AssessmentResult
    from ..validate import SCHEMAS

    model = AssessmentResult if kind == "result" else SCHEMAS[kind]
    click.echo(json.dumps(model.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


@cli.command(name="list")
def list_builtins() -> None:
    """List the built-in frameworks and questionnaires."""
    from frameworks.loader import builtin_frameworks, load_framework
    from questionnaires.loader import builtin_questionnaires, load_questionnaire

    for fid in builtin_frameworks():
        fw = load_framework(fid)
        click.echo(f"framework      {fw.id:<14} {fw.version:<8} {' / '.join(fw.name.texts())}")
    for qid in builtin_questionnaires():
        q, _ = load_questionnaire(qid)
        click.echo(
            f"questionnaire  {q.id:<14} {q.version:<8} {len(q.questions):>3} questions,"
            f" ~{q.estimated_minutes} min — {' / '.join(q.name.texts())}"
        )


@cli.command()
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("crmm-demo"),
    show_default=True,
    help="Folder to write into.",
)
def demo(outdir: Path) -> None:
    """Write a demo company's survey and full audit, with their zh-CN and en reports."""
    from ..demo import run_demo

    for path in run_demo(outdir):
        click.echo(str(path))
