"""The `crmm` group, its error mapping (the one place errors become exit codes), shared options."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from frameworks.errors import CrmmError
from frameworks.langs import LANG_ENV, LANGS, Lang

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


def lang_option(help: str | None = None) -> Callable[[F], F]:
    """`--lang`: without it, the user's language (`CRMM_LANG`, else the locale: zh* gives
    zh-CN, anything else en) when the framework has it, else the framework's one language;
    a language the framework lacks is a usage error (see `pick_lang`)."""
    return click.option(
        "--lang",
        type=LANG,
        default=None,
        show_default=f"${LANG_ENV}, else the locale (zh* → zh-CN, else en)",
        help=help,
    )


def user_lang() -> Lang:
    """The language of every command without `--lang` (frameworks.langs.default_lang); a
    CRMM_LANG crmm does not know is a usage error."""
    import os

    from frameworks.errors import InputError
    from frameworks.langs import LangSettingError, default_lang

    try:
        return default_lang(os.environ)
    except LangSettingError as exc:
        raise InputError.one(LANG_ENV, "", str(exc)) from None


def pick_lang(fw: Any, lang: str | None) -> Lang:
    """The `--lang` given (if the framework has it), else the user's language (`user_lang`)
    if the framework has it, else the framework's first language."""
    from frameworks.languages import report_language

    return report_language(fw, cast(Lang, lang) if lang else None, user_lang())


TABLE_LANG_OPT = lang_option("Table language.")


def _print_version(ctx: click.Context) -> None:
    """`crmm --version`; the installed metadata is read only now (not for every command)."""
    if ctx.resilient_parsing:
        return
    from .. import __version__

    click.echo(f"crmm, version {__version__}")
    ctx.exit()


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
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
    help="Show the version and exit.",
)
def cli() -> None:
    """crmm — assess customer-management (CRM) maturity and write evaluation reports."""


def load_inputs(responses: Path, questionnaire: str | None, framework: str | None) -> Any:
    from ..responses import load_responses, questionnaire_for

    loaded = load_responses(responses)
    q, fw = questionnaire_for(loaded, questionnaire, framework)
    return loaded, q, fw


STDOUT = "-"


def to_stdout(output: Path | None) -> bool:
    """No output file, or `-o -`: the output goes to standard output."""
    return output is None or str(output) == STDOUT


def output_format(
    output: Path | None, fmt: str | None, by_suffix: Mapping[str, str], default: str
) -> str:
    """The format to write: `--format` if given, else the one the output file's extension
    names, else `default` on standard output. An extension crmm does not know for this
    command is a usage error that names the ones it does (never a silent default)."""
    if fmt is not None:
        return fmt
    if to_stdout(output):
        return default
    assert output is not None
    if output.is_dir():
        from frameworks.errors import InputError

        raise InputError.one(output, "", "cannot write: a directory")
    found = by_suffix.get(output.suffix.lower())
    if found is None:
        known = " ".join(sorted(by_suffix))
        raise click.UsageError(
            f"cannot tell the format of {str(output)!r} from its extension: name the file"
            f" {known}, or give --format"
        )
    return found


def check_stdout(output: Path | None, binary: bool) -> None:
    """A usage error if a binary format would go to standard output on a terminal (call it
    before the work, so that nothing is computed for output that cannot be written)."""
    if binary and to_stdout(output) and sys.stdout.isatty():
        raise click.UsageError(
            "will not write a binary format to the terminal: give -o FILE or redirect"
            " standard output"
        )


WROTE = {"en": "wrote {path}", "zh-CN": "已写入 {path}"}


def write_output(
    data: str | bytes, output: Path | None, *, binary: bool = False, lang: Lang = "en"
) -> None:
    """Write a command's output: to standard output when there is no file or it is `-`
    (a binary format is refused on a terminal), else to the file as `write_atomic` does
    (through symlinks, into FIFOs and devices, atomically), saying so on stderr."""
    from frameworks.fileio import write_atomic

    if to_stdout(output):
        check_stdout(output, binary)
        stream = sys.stdout.buffer
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        stream.flush()
        return
    assert output is not None
    write_atomic(output, data)
    click.echo(WROTE[lang].format(path=output), err=True)


def write_or_echo(text: str, output: Path | None, lang: Lang = "en") -> None:
    """A text output: to the file, or to standard output (also for `-o -`); `lang` is the
    language of the note saying where it went."""
    write_output(text, output, lang=lang)
