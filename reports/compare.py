"""A short comparison report (PDF or HTML) of `crmm compare`: progress over time or a
ranking with a heatmap. Every figure comes from the Comparison; this module only presents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from assessment import __version__
from assessment.compare import Comparison, Delta
from frameworks.model import Framework
from frameworks.text import Lang, Text, zh_typography
from frameworks.vocabulary import DIMENSIONS, vocabulary

from . import pdf
from .compare_charts import grouped_bars_svg, heatmap_svg
from .errors import ReportError
from .formatting import long_date
from .labels import Labels, labels
from .render import SCREEN_STYLESHEET, STYLESHEET, _screen_css
from .templating import environment, template_source

TEMPLATE = "compare.html.j2"


@dataclass(frozen=True)
class DeltaRow:
    name: str
    scores: tuple[float | None, ...]
    delta: float | None
    level_before: int | None
    level_after: int | None


@dataclass(frozen=True)
class ActedRow:
    criterion: str
    level_before: int
    level_after: int | None
    target: int
    acted_on: bool
    reached: bool


@dataclass(frozen=True)
class RankRow:
    rank: int
    organization: str
    profile: str
    date: str
    framework: str
    score: float | None
    index: float | None
    level: int | None


@dataclass(frozen=True)
class CompareContext:
    """The comparison report in one language; the template reads only this."""

    lang: Lang
    labels: Labels
    title: str
    subtitle: str
    generator: str
    mode: str
    columns: tuple[str, ...]
    elements: tuple[DeltaRow, ...]
    overall: DeltaRow | None
    improved: tuple[str, ...]
    declined: tuple[str, ...]
    acted: tuple[ActedRow, ...]
    ranking: tuple[RankRow, ...]
    chart: Markup
    left_out: tuple[str, ...]


def render_comparison(
    c: Comparison, frameworks: Sequence[Framework], *, lang: Lang, fmt: str
) -> bytes:
    """The comparison report as PDF or standalone HTML bytes."""
    if fmt not in ("pdf", "html"):
        raise ReportError(f"unknown comparison report format {fmt!r} (known: pdf, html)")
    if fmt == "pdf" and not pdf.available():
        raise ReportError("the pdf format is not available here: install WeasyPrint")
    ctx = comparison_context(c, frameworks, lang)
    env = environment(None)
    template = env.get_template(TEMPLATE)
    if fmt == "html":
        css = _screen_css(template_source(env, STYLESHEET), template_source(env, SCREEN_STYLESHEET))
        return template.render(ctx=ctx, css=css).encode()
    return pdf.html_to_pdf(
        template.render(ctx=ctx, css=Markup("")), template_source(env, STYLESHEET)
    )


def comparison_context(
    c: Comparison, frameworks: Sequence[Framework], lang: Lang
) -> CompareContext:
    """Names in the report language, the rows and the chart of one comparison."""
    L = labels(lang)
    names: dict[str, Text] = {}
    for fw in frameworks:
        for e in fw.elements:
            names[e.id] = e.name
            names.update({k.id: k.name for k in e.criteria})

    def name(i: str) -> str:
        return _local(names.get(i), lang) or i

    entries = c.entries
    left_out = tuple(
        L.fill(
            "compare.left_out_item",
            kind=L[f"compare.kind.{lo.kind}"],
            name=name(lo.id),
            where=L["misc.list_sep"].join(_entry_label(c, i) for i in lo.present_in),
        )
        for lo in c.left_out
    )
    generator = L.fill("report.generator", version=__version__)
    # the frameworks' own comparison title when they agree on one, else the generic one
    titles = {_local(fw.report.comparison_title if fw.report else None, lang) for fw in frameworks}
    title = next(iter(titles)) if len(titles) == 1 and None not in titles else None
    title = title or L["compare.title"]
    if c.mode == "over-time":
        step = c.first_to_last
        assert step is not None
        dates = tuple(e.date.isoformat() for e in entries)

        def row(d: Delta, label: str, scores: tuple[float | None, ...]) -> DeltaRow:
            return DeltaRow(label, scores, d.score_delta, d.level_before, d.level_after)

        rows = tuple(
            row(d, name(d.id), tuple(e.elements.get(d.id) for e in entries)) for d in step.elements
        )
        return CompareContext(
            lang=lang,
            labels=L,
            title=title,
            generator=generator,
            mode=c.mode,
            left_out=left_out,
            subtitle=L.fill(
                "compare.over_time_subtitle",
                org=entries[0].organization["name"],
                first=long_date(entries[0].date, L),
                last=long_date(entries[-1].date, L),
            ),
            columns=dates,
            elements=rows,
            overall=row(step.overall, L["trace.overall_score"], tuple(e.score for e in entries)),
            improved=tuple(name(i) for i in step.improved),
            declined=tuple(name(i) for i in step.declined),
            acted=tuple(
                ActedRow(
                    name(a.criterion),
                    a.level_before,
                    a.level_after,
                    a.target_level,
                    a.acted_on,
                    a.reached_target,
                )
                for a in step.recommendations
            ),
            ranking=(),
            chart=grouped_bars_svg(
                [r.name for r in rows],
                dates,
                [r.scores for r in rows],
                title=L["compare.chart_over_time"],
            ),
        )
    ranked = [entries[i] for i in c.ranking]
    ranking = tuple(
        RankRow(
            rank=n,
            organization=e.organization["name"],
            profile=L["misc.list_sep"].join(
                _local(vocabulary().name(k, e.organization[k]), lang) or e.organization[k]
                for k in DIMENSIONS
                if k in e.organization
            ),
            date=e.date.isoformat(),
            framework=f"{e.framework.id} {e.framework.version}",
            score=e.score,
            index=e.index,
            level=e.level,
        )
        for n, e in enumerate(ranked, start=1)
    )
    return CompareContext(
        lang=lang,
        labels=L,
        title=title,
        generator=generator,
        mode=c.mode,
        left_out=left_out,
        subtitle=L.fill("compare.organisations_subtitle", n=len(entries)),
        columns=tuple(name(k) for k in c.elements),
        elements=(),
        overall=None,
        improved=(),
        declined=(),
        acted=(),
        ranking=ranking,
        chart=heatmap_svg(
            [f"{r.rank}. {r.organization}" for r in ranking],
            [*(name(k) for k in c.elements), L["trace.overall_score"]],
            [[*(e.elements.get(k) for k in c.elements), e.score] for e in ranked],
            title=L["compare.chart_heatmap"],
        ),
    )


def _local(text: Text | None, lang: Lang) -> str | None:
    """A framework or vocabulary text in the report language."""
    if text is None:
        return None
    local = text.get(lang)
    return zh_typography(local) if lang == "zh-CN" else local


def _entry_label(c: Comparison, i: int) -> str:
    e = c.entries[i]
    return e.date.isoformat() if c.mode == "over-time" else f"{e.organization['name']} ({e.date})"
