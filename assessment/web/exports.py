"""An assessment's results and exports, made as the command line makes them: the responses
file (store.responses_text) scored by assessment.inputs.score_responses and rendered by
reports.make.make_report — the functions `crmm score` and `crmm report` call — so that
every download equals what `crmm report` makes of the exported responses file."""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from frameworks.langs import Lang

from .forms import brand_from
from .models import Assessment
from .store import EXPORT_NAME, pinned, responses_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# what can be downloaded: name -> (format, media type)
KINDS: dict[str, tuple[str, str]] = {
    "responses.yaml": ("yaml", "application/yaml"),
    "result.json": ("json", "application/json"),
    "report-zh-CN.pdf": ("pdf", "application/pdf"),
    "report-en.pdf": ("pdf", "application/pdf"),
    "annex-zh-CN.pdf": ("annex", "application/pdf"),
    "annex-en.pdf": ("annex", "application/pdf"),
    "report-zh-CN.docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "report-en.docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "plan-zh-CN.xlsx": ("xlsx", XLSX),
    "plan-en.xlsx": ("xlsx", XLSX),
    "deck-zh-CN.pptx": ("pptx", PPTX),
    "deck-en.pptx": ("pptx", PPTX),
}
_CACHE_SIZE = 32
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Inputs:
    """What an assessment's report is made of, as `crmm report` options."""

    raw: bytes
    sha256: str
    target_level: int | None
    benchmark: str | None
    brand_json: str | None
    previous_id: int | None


def _cached(key: tuple[Any, ...], make: Any) -> Any:
    """A value made once per key within the process (a few kept): the same responses and
    options give the same result, so a dashboard reload does not score again."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = make()
    with _lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def inputs(session: Session, a: Assessment) -> Inputs | None:
    """The assessment's responses file and report options; None with no answers yet."""
    pinned(a)  # PinChanged if the installed questionnaire or framework differs
    raw = responses_text(session, a)
    if raw is None:
        return None
    return Inputs(
        raw,
        hashlib.sha256(raw).hexdigest(),
        a.target_level,
        a.benchmark,
        a.brand_json,
        a.previous_id,
    )


def scored(i: Inputs) -> Any:
    """The responses scored (assessment.inputs.Scored), as `crmm score` scores them."""
    from ..inputs import score_responses

    return _cached(
        ("scored", i.sha256, i.target_level, i.benchmark),
        lambda: score_responses(
            i.raw, EXPORT_NAME, target_level=i.target_level, benchmark=i.benchmark
        ),
    )


def previous_result(session: Session, a: Assessment) -> Any:
    """The earlier assessment's result (for the report's progress section), or None."""
    if a.previous_id is None:
        return None
    before = session.get(Assessment, a.previous_id)
    if before is None or before.owner_id != a.owner_id:
        return None
    i = inputs(session, before)
    return None if i is None else scored(i).result


def context(session: Session, a: Assessment, i: Inputs, lang: Lang) -> Any:
    """The report's context (reports.build_context): the dashboard shows its radar, element
    bars, levels and benchmark as the report does."""
    from reports import build_context

    s = scored(i)
    return _cached(
        ("context", i.sha256, i.target_level, i.benchmark, lang),
        lambda: build_context(
            s.result, s.framework, s.questionnaire, lang, None, s.loaded.for_report(s.questionnaire)
        ),
    )


def agreement(i: Inputs) -> Any:
    """Agreement between respondents from the result (assessment.agreement): per element,
    each role's mean score, rwg(j) and ICCs, as the report's appendix computes them."""
    from ..agreement import agreement_from_result

    s = scored(i)
    return _cached(
        ("agreement", i.sha256, i.target_level, i.benchmark),
        lambda: agreement_from_result(s.result, s.questionnaire, s.framework),
    )


def export(session: Session, a: Assessment, i: Inputs, kind: str) -> bytes:
    """One download (a KINDS name) of the assessment."""
    from ..engine import result_json

    fmt = KINDS[kind][0]
    if fmt == "yaml":
        return i.raw
    if fmt == "json":
        return result_json(scored(i).result).encode("utf-8")
    lang: Lang = "zh-CN" if "zh-CN" in kind else "en"
    previous = previous_result(session, a)
    prev_key = None if previous is None else hashlib.sha256(previous.model_dump_json().encode())
    prev_sha = None if prev_key is None else prev_key.hexdigest()
    key = ("report", i.sha256, i.target_level, i.benchmark, i.brand_json, fmt, lang, prev_sha)
    made = _cached(key, lambda: _make(i, "pdf" if fmt == "annex" else fmt, lang, previous))
    if fmt == "annex":
        return made.annex or b""
    data: bytes = made.data
    return data


def _make(i: Inputs, fmt: str, lang: Lang, previous: Any) -> Any:
    from reports.make import make_report

    return make_report(
        i.raw,
        EXPORT_NAME,
        fmt=fmt,
        lang=lang,
        default_lang=lang,
        target_level=i.target_level,
        benchmark=i.benchmark,
        previous=previous,
        brand=brand_from(i.brand_json),
        scored=scored(i),
    )


def has_annex(i: Inputs) -> bool:
    """A self-assessment's PDF leaves its appendices to an annex (`--appendices auto`)."""
    return bool(scored(i).result.assessor is None)


def download_name(organization: str, kind: str) -> tuple[str, str]:
    """The file name of a download: an ASCII one (the organisation's name reduced to letters
    and digits, else "assessment") and the UTF-8 one for `filename*`."""
    ascii_org = unicodedata.normalize("NFKD", organization).encode("ascii", "ignore").decode()
    ascii_org = "".join(c if c.isalnum() else "-" for c in ascii_org).strip("-")
    ascii_org = "-".join(x for x in ascii_org.split("-") if x)[:60] or "assessment"
    full = "".join(c for c in organization if c.isprintable() and c not in '\\/:*?"<>|')
    full = full.strip()[:100] or "assessment"
    return f"{ascii_org}-{kind}", f"{full}-{kind}"


def disposition(organization: str, kind: str) -> str:
    """Content-Disposition: attachment, an ASCII filename and the UTF-8 filename* (RFC 6266)."""
    plain, full = download_name(organization, kind)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(full, safe='')}"
