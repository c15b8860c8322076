"""From a responses file's bytes to a report: the pipeline `crmm report` runs, as one library
function that the command line and the web app (`crmm serve`) both call, so that a report
downloaded from the web is the report `crmm report` makes of the exported responses file,
byte for byte."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from frameworks.langs import Lang
from frameworks.languages import report_language

if TYPE_CHECKING:
    from assessment.inputs import Scored
    from assessment.result import AssessmentResult

    from .brand import Brand
    from .pdf_worker import PdfWorker

APPENDICES = ("auto", "full", "annex")


@dataclass(frozen=True)
class MadeReport:
    """A report as bytes, the annex beside it (`appendices="annex"`), and what it was made of."""

    data: bytes
    annex: bytes | None
    lang: Lang
    fmt: str
    scored: Scored


def auto_appendices(fmt: str, *, to_file: bool, self_assessment: bool) -> str:
    """What `--appendices auto` means: a self-assessment's PDF file keeps its report short
    (at most 16 pages for a quick check) with the appendices in an annex beside it; an
    assessor's audit keeps them in one file, as does any other format or standard output."""
    if fmt == "pdf" and to_file and self_assessment:
        return "annex"
    return "full"


def make_report(
    raw: bytes,
    source: str,
    *,
    fmt: str,
    lang: Lang | None,
    default_lang: Lang,
    appendices: str = "auto",
    to_file: bool = True,
    target_level: int | None = None,
    benchmark: str | Path | None = None,
    previous: AssessmentResult | None = None,
    brand: Brand | None = None,
    template_dir: Path | None = None,
    pdf_variant: str | None = None,
    questionnaire: str | Path | None = None,
    framework: str | Path | None = None,
    pdf_worker: PdfWorker | None = None,
    scored: Scored | None = None,
) -> MadeReport:
    """The report of the responses file `raw` (read under the name `source`) in `fmt`:
    scored with the target level and benchmark, in `lang` (else `default_lang` if the
    framework has it, else its first language), with the progress since `previous`,
    branded, and the appendices as asked ("auto": see `auto_appendices`; `to_file` is
    False for standard output). `scored` skips scoring when the caller already did it with
    the same options."""
    from assessment.inputs import score_responses

    from .render import render_parts

    if appendices not in APPENDICES:
        raise ValueError(f"appendices must be one of {', '.join(APPENDICES)}")
    if scored is None:
        scored = score_responses(
            raw,
            source,
            questionnaire=questionnaire,
            framework=framework,
            target_level=target_level,
            benchmark=benchmark,
        )
    result, q, fw = scored.result, scored.questionnaire, scored.framework
    report_lang = report_language(fw, lang, default_lang)
    if appendices == "auto":
        appendices = auto_appendices(fmt, to_file=to_file, self_assessment=result.assessor is None)
    annexed = appendices == "annex"
    rendered = render_parts(
        result,
        fw,
        q,
        lang=report_lang,
        fmt=fmt,
        template_dir=template_dir,
        previous=previous,
        responses_file=raw,
        responses=scored.loaded.for_report(q),
        pdf_variant=pdf_variant,
        brand=brand,
        pdf_worker=pdf_worker,
        parts=("main", "annex") if annexed else ("full",),
    )
    return MadeReport(rendered[0], rendered[1] if annexed else None, report_lang, fmt, scored)
