"""The `crmm` group, its error mapping (the one place errors become exit codes), shared options."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from frameworks.errors import CrmmError
from frameworks.text import LANGS, Lang

from .. import __version__

LANG = click.Choice(LANGS)
FRAMEWORK_OPT = click.option(
    "--framework",
    "framework",
    metavar="ID|PATH",
    help="Framework to use instead of the one the questionnaire names (built-in id or path).",
)
QUESTIONNAIRE_OPT = click.option(
    "--questionnaire",
    "questionnaire",
    metavar="ID|PATH",
    help="Questionnaire file to use instead of the built-in one the responses name.",
)
TABLE_JSON_OPT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
OUTPUT_OPT = click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to a file."
)


F = TypeVar("F", bound=Callable[..., Any])


def lang_option(default: Lang, help: str | None = None) -> Callable[[F], F]:
    """`--lang`: `default` when the framework has it, else the framework's one language;
    a language the framework lacks is a usage error (see `pick_lang`)."""
    return click.option(
        "--lang",
        type=LANG,
        default=None,
        show_default=f"{default}, or the framework's language if it has only one",
        help=help,
    )


def pick_lang(fw: Any, lang: str | None, default: Lang) -> Lang:
    """The `--lang` given (if the framework has it) or the default for this framework."""
    from frameworks.languages import report_language

    return report_language(fw, cast(Lang, lang) if lang else None, default)


TABLE_LANG_OPT = lang_option("en", "Table language.")


class CrmmGroup(click.Group):
    """Turns every CrmmError into `FILE: field: message` lines and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrmmError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=CrmmGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="crmm")
def cli() -> None:
    """crmm — assess customer-management (CRM) maturity and write evaluation reports."""


def load_inputs(responses: Path, questionnaire: str | None, framework: str | None) -> Any:
    from questionnaires.loader import load_questionnaire

    from ..responses import load_responses

    loaded = load_responses(responses)
    q, fw = load_questionnaire(questionnaire or loaded.responses.questionnaire.id, framework)
    return loaded, q, fw


def write_or_echo(text: str, output: Path | None) -> None:
    from frameworks.fileio import write_atomic

    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
