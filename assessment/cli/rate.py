"""`crmm rate`: an assessor rates a criterion (or one dimension of it) in a responses file."""

from __future__ import annotations

from pathlib import Path

import click

from .base import FRAMEWORK_OPT, QUESTIONNAIRE_OPT, cli, write_output

DIMENSIONS = ("intention", "reality")
RATED = {
    "en": "{target}: {before} → {after} (assessor rating {rating})",
    "zh-CN": "{target}：{before} → {after}（评估师评级 {rating}）",
}


def split_target(target: str) -> tuple[str, str | None]:
    """`criterion` or `criterion.dimension`."""
    criterion, dot, dimension = target.rpartition(".")
    if not dot:
        return target, None
    if dimension not in DIMENSIONS:
        raise click.BadParameter(
            f"{target!r}: give CRITERION or CRITERION.intention / CRITERION.reality",
            param_hint="CRITERION[.DIMENSION]",
        )
    return criterion, dimension


@cli.command()
@click.argument("responses", type=click.Path(path_type=Path))
@click.argument("target", metavar="CRITERION[.DIMENSION]")
@click.option("--rating", type=click.IntRange(1, 5), required=True, help="The level, 1-5.")
@click.option("--reason", required=True, help="Why (kept in the audit trail).")
@click.option(
    "--evidence",
    "evidence",
    multiple=True,
    required=True,
    metavar="ID",
    help="An evidence-register id the rating rests on (repeat for more).",
)
@click.option("--by", required=True, help="The assessor's name.")
@click.option(
    "--at",
    metavar="ISO",
    help="When, with its offset (e.g. 2026-11-20T10:30:00+08:00); default: now.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the rated file here (default: RESPONSES itself, atomically).",
)
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
def rate(
    responses: Path,
    target: str,
    rating: int,
    reason: str,
    evidence: tuple[str, ...],
    by: str,
    at: str | None,
    output: Path | None,
    questionnaire: str | None,
    framework: str | None,
) -> None:
    """Rate a criterion, or one dimension of it, as the assessor: the entry is appended to
    the responses file's audit trail (assessor_ratings) with the score it replaces as
    `before`, worked out from the answers and the trail. The rating replaces the aggregated
    self-ratings (docs/scoring.md, "Assessor ratings")."""
    import datetime as dt

    from frameworks.errors import InputError
    from frameworks.fileio import read_bytes

    from ..trail import rate as add_rating
    from .base import load_inputs, pick_lang

    criterion, dimension = split_target(target)
    if at is None:
        when = dt.datetime.now().astimezone().replace(microsecond=0)
    else:
        try:
            when = dt.datetime.fromisoformat(at)
        except ValueError:
            raise InputError.one("--at", "", f"not an ISO date and time: {at!r}") from None
    _loaded, q, fw = load_inputs(responses, questionnaire, framework)
    done = add_rating(
        read_bytes(responses),
        str(responses),
        q,
        fw,
        criterion=criterion,
        dimension=dimension,
        rating=rating,
        reason=reason,
        evidence=evidence,
        by=by,
        at=when,
    )
    lang = pick_lang(fw, None)
    before, after = (("—" if v is None else f"{v:.2f}") for v in (done.before, done.after))
    click.echo(
        RATED[lang].format(target=target, before=before, after=after, rating=rating), err=True
    )
    write_output(done.text, output or responses, lang=lang)
