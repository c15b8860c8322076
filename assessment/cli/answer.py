"""`crmm answer`: answer a questionnaire in the terminal, each answer saved as it is given.

Only prompting and printing happen here; assessment/answering.py decides what comes next.
"""

from __future__ import annotations

import contextlib
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from frameworks.langs import Lang

from .base import FRAMEWORK_OPT, cli, lang_option, pick_lang, user_lang

if TYPE_CHECKING:
    from frameworks.model import Framework
    from questionnaires.model import Questionnaire

    from ..answering import AnswerSession, Step


def _lb(key: str, lang: Lang, **fmt: object) -> str:
    from ..answer_input import label

    return label(key, lang, **fmt)


def _ask(prompt: str = "") -> str:
    """One line from the user; Ctrl-C and end of input raise click.Abort."""
    text: str = click.prompt(prompt, default="", show_default=False, prompt_suffix="> ")
    return text


def _warn(message: str) -> None:
    click.secho(f"  ! {message}", fg="red")


def _ask_text(prompt: str, lang: Lang, default: str | None = None) -> str:
    from ..answer_input import has_control

    while True:
        shown = f"{prompt} [{default}]" if default else prompt
        text = _ask(shown + " ").strip() or (default or "")
        if not text:
            _warn(_lb("err_empty", lang))
        elif has_control(text):
            _warn(_lb("err_control", lang))
        elif len(text) > 500:
            _warn(_lb("err_long", lang, n=500))
        else:
            return text


def _ask_pick(prompt: str, items: list[tuple[str, str]], lang: Lang) -> str:
    from ..answer_input import pick

    click.echo(click.style(prompt, bold=True))
    for i, (ident, name) in enumerate(items, start=1):
        click.echo(f"  {i:>2}  {name}  ({ident})")
    ids = [ident for ident, _ in items]
    while True:
        chosen = pick(_ask(), ids)
        if chosen is not None:
            return chosen
        _warn(_lb("err_pick", lang, n=len(ids)))


def _ask_role(q: Questionnaire, lang: Lang) -> str:
    return _ask_pick(_lb("role", lang), [(r.id, r.name.get(lang)) for r in q.roles], lang)


def _ask_respondent_id(lang: Lang, default: str) -> str:
    from ..answer_input import valid_id

    while True:
        text = _ask_text(_lb("respondent_id", lang), lang, default)
        if valid_id(text):
            return text
        _warn(_lb("err_id", lang))


def _ask_organization(lang: Lang) -> dict[str, str]:
    from frameworks.vocabulary import DIMENSIONS, vocabulary

    click.echo(_lb("org_intro", lang))
    org = {"name": _ask_text(_lb("org_name", lang), lang)}
    for dim in DIMENSIONS:
        names = vocabulary().names(dim)
        items = [(ident, t.get(lang)) for ident, t in names.items()]
        org[dim] = _ask_pick(_lb(dim, lang), items, lang)
    return org


def _show(step: Step, session: AnswerSession, new_element: bool) -> None:
    from ..answer_input import choices, describe, input_hint

    lang, q = session.lang, step.question
    click.echo()
    if new_element:
        click.echo(click.style(f"══ {step.element.name.get(lang)} ══", bold=True))
    click.echo(click.style(f"{step.progress(lang)} · {q.id}", dim=True))
    click.echo(click.style(q.text.get(lang), bold=True))
    for typed, text in choices(q, lang):
        click.echo(f"  {typed:>2}  {text}")
    click.echo(click.style(f"{input_hint(q, lang)} · {_lb('keys_short', lang)}", dim=True))
    if q.id in session.answers:
        value = describe(q, session.value_of(q.id), lang)
        keys = _lb("current_keys", lang)
        click.echo(f"{_lb('current', lang, value=value)}  ({keys})")


def _show_help(step: Step, lang: Lang) -> None:
    q = step.question
    click.echo(q.help.get(lang) if q.help is not None else _lb("no_help", lang))
    click.echo(click.style(_lb("keys", lang), dim=True))


def _ask_note(session: AnswerSession, qid: str) -> None:
    lang = session.lang
    while True:
        comment = _ask(_lb("comment", lang) + " ")
        evidence = _ask(_lb("evidence", lang) + " ")
        problem = session.add_note(qid, comment, evidence)
        if problem is None:
            return
        _warn(problem)


def run_session(session: AnswerSession, comments: bool) -> bool:
    """Ask until every question is passed; False if the user quit."""
    shown_element: str | None = None
    show = True
    while not session.finished:
        step = session.current
        assert step is not None
        if show:
            _show(step, session, step.element.id != shown_element)
            shown_element = step.element.id
        out = session.handle(_ask())
        show = out.kind not in ("invalid", "first", "help")
        if out.kind in ("invalid", "first"):
            _warn(out.message)
        elif out.kind == "help":
            _show_help(step, session.lang)
        elif out.kind == "quit":
            return False
        elif out.kind == "cleared":
            click.echo(_lb("cleared", session.lang))
        elif out.kind == "answered" and (out.wants_note or comments):
            assert out.question_id is not None
            _ask_note(session, out.question_id)
    return True


def _command(*parts: str | None) -> str:
    return " ".join(shlex.quote(p) for p in parts if p is not None)


def _open_session(
    q: Questionnaire,
    fw: Framework,
    output: Path,
    lang: Lang,
    respondent: str | None,
    role: str | None,
) -> AnswerSession:
    """Continue the file (asking which respondent if several), or start one with a profile."""
    from ..answering import AnswerSession, load_document, new_document, respondent_ids

    if output.exists():
        doc = load_document(output, q)
        ids = respondent_ids(doc)
        if respondent is None:
            items = [(i, i) for i in ids]
            many = len(ids) > 1
            respondent = _ask_pick(_lb("pick_respondent", lang), items, lang) if many else ids[0]
        if respondent not in ids:
            click.echo(_lb("added", lang, id=respondent, path=output))
            role = role or _ask_role(q, lang)
    else:
        org = _ask_organization(lang)
        respondent = respondent or _ask_respondent_id(lang, "r1")
        role = role or _ask_role(q, lang)
        doc = new_document(q, org, respondent, role)
    return AnswerSession(q, fw, output, doc, respondent, role, lang)


def _greet(session: AnswerSession, again: str) -> None:
    """Say where the session starts; a new or newly joined respondent's file is saved now."""
    lang, s = session.lang, session.summary()
    one_line = " ".join(again.splitlines())
    session.header = f"# crmm answer: {session.q.id} {session.q.version}. To continue: {one_line}\n"
    if s.answered:
        rid = session.entry["id"]
        click.echo(_lb("resumed", lang, path=session.path, id=rid, done=s.answered, n=s.total))
        return
    session.save()
    name, minutes = session.q.name.get(lang), session.q.estimated_minutes
    click.echo(_lb("intro", lang, name=name, n=s.total, path=session.path, minutes=minutes))
    click.echo(click.style(_lb("keys", lang), dim=True))


def _answer_all(session: AnswerSession, comments: bool) -> bool:
    """One pass over the questions, then an offer to answer the skipped ones; False if quit."""
    if session.finished:
        click.echo(_lb("all_done", session.lang))
    if not run_session(session, comments):
        return False
    skipped = session.summary().skipped
    if skipped:
        click.echo()
        if click.confirm(_lb("review", session.lang, n=len(skipped)), default=True):
            session.restart_unanswered()
            return run_session(session, comments)
    return True


@cli.command()
@click.argument("questionnaire", metavar="QUESTIONNAIRE")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Responses file to write (each answer is saved at once).",
)
@lang_option()
@click.option("--respondent", metavar="ID", help="Respondent id (asked if not given).")
@click.option("--role", metavar="ROLE", help="Respondent role (asked if not given).")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the file at its first unanswered question, or add --respondent to it.",
)
@click.option("--comments", is_flag=True, help="Offer a comment and evidence after every answer.")
@FRAMEWORK_OPT
@click.pass_context
def answer(
    ctx: click.Context,
    questionnaire: str,
    output: Path,
    lang: str | None,
    respondent: str | None,
    role: str | None,
    resume: bool,
    comments: bool,
    framework: str | None,
) -> None:
    """Answer a questionnaire in the terminal, question by question.

    QUESTIONNAIRE is a built-in id (see `crmm list`) or a questionnaire file. Every answer is
    saved to the responses file the moment it is given; after an interruption, run the same
    command with --resume to continue at the first unanswered question.
    """
    from frameworks.errors import InputError
    from questionnaires.loader import load_questionnaire

    from ..answer_input import valid_id

    q, fw = load_questionnaire(questionnaire, framework)
    lg = pick_lang(fw, lang)
    if role is not None and role not in q.role_by_id:
        raise InputError.one("--role", "", f"unknown role {role!r} ({', '.join(q.role_by_id)})")
    if respondent is not None and not valid_id(respondent):
        raise InputError.one("--respondent", "", f"not a valid id: {respondent!r}")
    if output.exists() and not resume:
        raise InputError.one(output, "", "file exists; add --resume to continue it")
    with contextlib.suppress(ImportError):  # line editing in prompts (not on Windows)
        import readline  # noqa: F401
    try:
        session = _open_session(q, fw, output, lg, respondent, role)
    except click.Abort:
        click.echo()
        ctx.exit(130)
    fw_opt = ("--framework", framework) if framework else (None, None)
    many = len(session.doc["respondents"]) > 1
    again = _command(
        *("crmm", "answer", questionnaire, "-o", str(output), "--resume"),
        *(("--respondent", session.entry["id"]) if many else (None, None)),
        *(("--lang", lg) if lg != user_lang() else (None, None)),
        *fw_opt,
    )
    _greet(session, again)
    try:
        completed = _answer_all(session, comments)
    except click.Abort:  # Ctrl-C or end of input: every answer is already saved
        click.echo()
        click.echo(_lb("continue", lg, command=again))
        ctx.exit(130)
    if not completed:
        click.echo(_lb("continue", lg, command=again))
        return
    s = session.summary()
    click.echo()
    click.echo(_lb("summary", lg, answered=s.answered, na=s.na, skipped=len(s.skipped), n=s.total))
    if s.skipped:
        click.echo(_lb("skipped_ids", lg, ids=", ".join(s.skipped)))
        click.echo(_lb("continue", lg, command=again))
    custom_q = ("--questionnaire", questionnaire) if Path(questionnaire).exists() else (None, None)
    pdf = str(output.with_suffix(".pdf"))
    report = _command(*("crmm", "report", str(output), "-o", pdf, "--lang", lg), *custom_q, *fw_opt)
    click.echo(_lb("next", lg, command=report))
