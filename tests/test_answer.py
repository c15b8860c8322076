"""`crmm answer`: the answering state machine, and the real command driven through a terminal."""

from __future__ import annotations

import codecs
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.answer_input import label, parse_value
from assessment.answering import (
    AnswerSession,
    Step,
    load_document,
    new_document,
    question_steps,
)
from assessment.cli import cli
from assessment.engine import assess
from assessment.responses import check_responses, parse_responses
from frameworks.errors import InputError
from frameworks.model import Framework
from frameworks.text import LANGS, Text
from questionnaires.loader import load_questionnaire
from questionnaires.model import Questionnaire

ORG = {"name": "示例公司", "industry": "retail", "size": "medium", "region": "east-china"}


@pytest.fixture(scope="module")
def quick() -> tuple[Questionnaire, Framework]:
    return load_questionnaire("quick-check")


@pytest.fixture(scope="module")
def full() -> tuple[Questionnaire, Framework]:
    return load_questionnaire("full-audit")


def start(qf: tuple[Questionnaire, Framework], path: Path, role: str = "leadership") -> Any:
    q, fw = qf
    session = AnswerSession(q, fw, path, new_document(q, ORG, "r1", role), "r1", lang="en")
    session.save()
    return session


def saved(path: Path, q: Questionnaire) -> dict[str, Any]:
    """The file is a valid responses file: parse and check it, return r1's canonical values."""
    resp = check_responses(parse_responses(path.read_bytes(), str(path)), q)
    return {k: a.value for k, a in resp.respondents[0].answers.items()}


def ids(session: AnswerSession) -> list[str]:
    return [s.question.id for s in session.steps]


def test_order_and_progress(quick: tuple[Questionnaire, Framework]) -> None:
    q, fw = quick
    steps = question_steps(q, fw, "leadership")
    assert len(steps) == 16 and {s.element_count for s in steps} == {7}
    assert [s.element_no for s in steps] == sorted(s.element_no for s in steps)
    assert steps[4].progress("en") == f"Element {steps[4].element_no}/7 · question 5/16"
    assert steps[4].progress("zh-CN") == f"要素 {steps[4].element_no}/7 · 第 5/16 题"


def test_answer_skip_back_and_file_valid_after_each(
    quick: tuple[Questionnaire, Framework], tmp_path: Path
) -> None:
    q, _ = quick
    path = tmp_path / "r.yaml"
    s = start(quick, path)
    assert saved(path, q) == {}
    first, second, third = ids(s)[:3]
    assert s.handle("b").kind == "first" and s.position == 0
    assert s.handle("4").kind == "answered" and saved(path, q) == {first: 4}
    assert s.handle("").kind == "skipped" and s.position == 2
    assert s.handle("s").kind == "skipped" and s.position == 3
    assert s.handle("<").kind == "back" and s.current.question.id == third
    assert s.handle("b").kind == "back" and s.current.question.id == second
    out = s.handle("2")
    assert (out.kind, out.question_id) == ("answered", second)
    assert saved(path, q) == {first: 4, second: 2}
    assert s.current.question.id == third  # on to the next unanswered question
    s.position = 0
    assert s.handle("").kind == "kept" and s.current.question.id == third  # Enter keeps
    s.position = 0
    assert s.handle("x").kind == "cleared" and saved(path, q) == {second: 2}
    assert s.handle("?").kind == "help" and s.handle("q").kind == "quit" and s.position == 0


def test_invalid_inputs_reask_with_reason(
    quick: tuple[Questionnaire, Framework], tmp_path: Path
) -> None:
    q, _ = quick
    path = tmp_path / "r.yaml"
    s = start(quick, path)
    for typed, reason in [
        ("0", "Please type a whole number from 1 to 5."),
        ("3.5", "Please type a whole number from 1 to 5."),
        ("na", "N/A is not allowed for this question."),
        ("\x1b[A", "Control characters (such as arrow keys) are not allowed."),
    ]:
        out = s.handle(typed)
        assert (out.kind, out.message, s.position) == ("invalid", reason, 0)
    assert saved(path, q) == {}


def test_kpi_checked(quick: tuple[Questionnaire, Framework]) -> None:
    q, _ = quick
    days = q.question_by_id["qc-13"]  # 0..365 days
    rate = q.question_by_id["qc-15"]  # 0..100 %
    with pytest.raises(ValueError, match="Please type a number"):
        parse_value(days, "about five", "en")
    with pytest.raises(ValueError, match=r"^400 is above the maximum 365\.$"):
        parse_value(days, "400", "en")
    with pytest.raises(ValueError, match="低于下限 0"):
        parse_value(days, "-1", "zh-CN")
    with pytest.raises(ValueError, match="Please type a number"):
        parse_value(days, "nan", "en")
    assert parse_value(days, " 4.5 ", "en") == 4.5
    assert parse_value(rate, "85%", "en") == 85 and isinstance(parse_value(rate, "85", "en"), int)


def test_choices_yes_partly_no_text_and_na(
    full: tuple[Questionnaire, Framework], tmp_path: Path
) -> None:
    q, fw = full
    multi = next(x for x in q.questions if x.type == "multiple_choice")
    assert multi.options is not None
    o = [x.id for x in multi.options]
    assert parse_value(multi, "3, 1", "en") == [o[0], o[2]]
    assert parse_value(multi, "1\uff0c2", "en") == [o[0], o[1]]  # a full-width comma
    with pytest.raises(ValueError, match="listed twice"):
        parse_value(multi, "1,1", "en")
    with pytest.raises(ValueError, match=f"from 1 to {len(o)}"):
        parse_value(multi, f"1,{len(o) + 1}", "en")
    one = next(x for x in q.questions if x.type == "single_choice")
    assert one.options is not None
    assert parse_value(one, "2", "en") == one.options[1].id
    with pytest.raises(ValueError, match="option number"):
        parse_value(one, "1,2", "en")
    ypn = next(x for x in q.questions if x.type == "yes_partly_no")
    assert [parse_value(ypn, t, "en") for t in ("Y", "partly", "3", "是")] == [
        "yes",
        "partly",
        "no",
        "yes",
    ]
    # N/A where the question allows it: stored as na, counted apart in the summary
    role = "leadership"
    steps = question_steps(q, fw, role)
    na_at = next(i for i, st in enumerate(steps) if st.question.allow_na)
    path = tmp_path / "r.yaml"
    s = start(full, path, role)
    s.position = na_at
    assert s.handle("NA").kind == "answered"
    assert saved(path, q) == {steps[na_at].question.id: "na"}
    summary = s.summary()
    assert (summary.answered, summary.na, len(summary.skipped)) == (1, 1, len(steps) - 1)
    text_at = next(i for i, st in enumerate(steps) if st.question.type == "text")
    s.position = text_at
    assert s.handle("We use a spreadsheet: 50% of data").kind == "answered"
    assert saved(path, q)[steps[text_at].question.id] == "We use a spreadsheet: 50% of data"


def test_comment_and_evidence(quick: tuple[Questionnaire, Framework], tmp_path: Path) -> None:
    q, _ = quick
    path = tmp_path / "r.yaml"
    s = start(quick, path)
    out = s.handle("3 +c")
    assert out.wants_note and out.question_id == ids(s)[0]
    assert s.add_note(out.question_id, "年度计划", "plan.pdf；minutes.docx; ") is None
    resp = check_responses(parse_responses(path.read_bytes(), "r.yaml"), q)
    a = resp.respondents[0].answers[out.question_id]
    assert (a.value, a.comment, a.evidence) == (3, "年度计划", ["plan.pdf", "minutes.docx"])
    assert s.add_note(out.question_id, "x" * 5001, "") == "Too long: at most 5000 characters."
    s.position = 0
    assert s.handle("4").kind == "answered"  # a new value keeps the comment
    a = (
        check_responses(parse_responses(path.read_bytes(), "r.yaml"), q)
        .respondents[0]
        .answers[out.question_id]
    )
    assert (a.value, a.comment) == (4, "年度计划")


def test_resume_at_first_unanswered(quick: tuple[Questionnaire, Framework], tmp_path: Path) -> None:
    q, fw = quick
    path = tmp_path / "r.yaml"
    s = start(quick, path)
    for typed in ("3", "4", "", "y", "2"):
        s.handle(typed)
    order = ids(s)
    again = AnswerSession(q, fw, path, load_document(path, q), "r1", lang="en")
    assert again.position == 2 and again.current is not None
    assert again.current.question.id == order[2]
    again.handle("5")
    assert again.position == 5  # answered questions are passed over
    assert saved(path, q) == {order[0]: 3, order[1]: 4, order[2]: 5, order[3]: "yes", order[4]: 2}
    # another respondent joins the same file
    doc = load_document(path, q)
    with pytest.raises(InputError, match="unknown role"):
        AnswerSession(q, fw, path, doc, "r2", role="chef")
    other = AnswerSession(q, fw, path, doc, "r2", role="service")
    assert other.position == 0
    other.handle("1")
    resp = check_responses(parse_responses(path.read_bytes(), "r.yaml"), q)
    assert [(r.id, r.role, len(r.answers)) for r in resp.respondents] == [
        ("r1", "leadership", 5),
        ("r2", "service", 1),
    ]


def test_resume_treats_empty_values_as_unanswered(
    quick: tuple[Questionnaire, Framework], tmp_path: Path
) -> None:
    q, fw = quick
    order = [s.question.id for s in question_steps(q, fw, "sales")]
    path = tmp_path / "r.yaml"
    path.write_text(
        "type: responses\nquestionnaire: {id: quick-check, version: 1.1.0}\n"
        "organization: {name: X, industry: retail, size: small, region: macao}\n"
        "date: 2026-11-01\nrespondents:\n  - id: r1\n    role: sales\n    answers:\n"
        f"      {order[0]}: 2\n      {order[1]}:\n      {order[2]}: {{value: }}\n",
        "utf-8",
    )
    s = AnswerSession(q, fw, path, load_document(path, q), "r1", lang="en")
    assert s.position == 1 and s.summary().answered == 1
    s.handle("5")
    assert saved(path, q) == {order[0]: 2, order[1]: 5}


def test_labels_exist_in_both_languages() -> None:
    from assessment.answer_input import _labels

    labels = _labels()
    assert {"progress", "summary", "next", "continue", "keys"} <= set(labels)
    assert all(isinstance(t, Text) and t.zh and t.en for t in labels.values())
    for lang in LANGS:
        text = label("summary", lang, answered=3, na=1, skipped=2, n=5)
        assert "3" in text and "{" not in text


def test_refuses_existing_file_and_unknown_role(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.yaml"
    out.write_text("x: 1\n", "utf-8")
    res = runner.invoke(cli, ["answer", "quick-check", "-o", str(out)])
    assert res.exit_code == 2 and res.output == f"{out}: file exists; add --resume to continue it\n"
    res = runner.invoke(
        cli, ["answer", "quick-check", "-o", str(tmp_path / "n.yaml"), "--role", "x"]
    )
    assert res.exit_code == 2 and res.output.startswith("--role: unknown role 'x' (leadership,")


def test_interrupted_prompt_says_how_to_continue(tmp_path: Path) -> None:
    out = tmp_path / "r.yaml"
    typed = "示例公司\nretail\n3\n3\n\n2\n4\n"  # profile, respondent r1 (sales), one answer
    res = CliRunner().invoke(cli, ["answer", "quick-check", "-o", str(out)], input=typed)
    assert res.exit_code == 130  # end of input, as after Ctrl-C
    assert "要素 1/7 · 第 2/16 题" in res.output
    assert res.output.rstrip().endswith(f"继续作答：crmm answer quick-check -o {out} --resume")
    resp = check_responses(
        parse_responses(out.read_bytes(), str(out)), load_questionnaire("quick-check")[0]
    )
    r = resp.respondents[0]
    assert (r.id, r.role, len(r.answers), resp.organization.size) == ("r1", "sales", 1, "medium")


def test_skipped_questions_offered_again_at_the_end(
    quick: tuple[Questionnaire, Framework], tmp_path: Path
) -> None:
    q, _ = quick
    path = tmp_path / "r.yaml"
    s = start(quick, path)
    for step in s.steps:
        s.handle(typed_for(step)[0] if step.no != 9 else "")
    assert s.summary().skipped == [s.steps[8].question.id]
    res = CliRunner().invoke(
        cli,
        ["answer", "quick-check", "-o", str(path), "--resume", "--lang", "en"],
        input="\ny\n4\n",
    )
    assert res.exit_code == 0, res.output
    assert "Element 5/7 · question 9/16" in res.output
    assert "Questions still unanswered: 1. Answer them now? [Y/n]" in res.output
    assert "Finished: 16 answered (0 of them not applicable), 0 skipped, of 16." in res.output
    assert f"Next: crmm report {path} -o {path.with_suffix('.pdf')} --lang en" in res.output
    assert saved(path, q)[s.steps[8].question.id] == 4


# ---------------------------------------------------------------- the real command, in a pty

ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[A-Za-z]|[()][0-9A-Za-z]|[=>])")


class Terminal:
    """A process on a pseudo-terminal, with expect/send and a hard timeout on every wait."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        master, slave = pty.openpty()
        env = {**os.environ, "TERM": "dumb", "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True
        )
        os.close(slave)
        self.fd = master
        self.text = ""
        self.pos = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def expect(self, wanted: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            found = self.text.find(wanted, self.pos)
            if found >= 0:
                self.pos = found + len(wanted)
                return
            left = deadline - time.monotonic()
            ready = select.select([self.fd], [], [], max(left, 0))[0] if left > 0 else []
            chunk = b""
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # EIO: the process has gone
                    chunk = b""
            if not chunk:
                tail = self.text[self.pos :][-600:]
                raise AssertionError(f"no {wanted!r} (timeout or exit); after last match:\n{tail}")
            self.text += ANSI.sub("", self.decoder.decode(chunk)).replace("\r", "")

    def send(self, line: str) -> None:
        os.write(self.fd, (line + "\r").encode())

    def wait(self) -> int:
        return self.proc.wait(timeout=10)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self.fd)


def typed_for(step: Step) -> tuple[str, Any]:
    """What to type for a question in the end-to-end run, and the value it must store."""
    t = step.question.type
    if t == "yes_partly_no":
        return "n", "no"
    if t == "kpi":
        return ("4.5", 4.5) if step.question.id == "qc-13" else ("85", 85)
    return "3", 3


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_terminal_session_killed_and_resumed(
    quick: tuple[Questionnaire, Framework], tmp_path: Path
) -> None:
    q, fw = quick
    steps = question_steps(q, fw, "leadership")
    order = [s.question.id for s in steps]
    assert [s.question.type for s in steps[:6]] == [
        "anchored",
        "anchored",
        "anchored",
        "yes_partly_no",
        "anchored",
        "anchored",
    ]
    cmd = [sys.executable, "-m", "assessment", "answer", "quick-check"]
    out = tmp_path / "tmp" / "responses.yaml"
    with Terminal([*cmd, "-o", "tmp/responses.yaml", "--lang", "en"], tmp_path) as term:
        term.expect("Organisation name")
        term.send("示例公司 Ltd")
        term.expect("(professional-services)")
        term.send("retail")
        term.expect("(enterprise)")
        term.send("3")
        term.expect("(international)")
        term.send("3")
        term.expect("Respondent id [r1]")
        term.send("")
        term.expect("(it)")
        term.send("1")
        term.expect("Element 1/7 · question 1/16")
        term.send("9")
        term.expect("Please type a whole number from 1 to 5.")
        term.send("4")
        term.expect("question 2/16")
        term.send("2 +c")
        term.expect("Comment")
        term.send("weekly reviews")
        term.expect("Evidence")
        term.send("minutes.pdf")
        term.expect("question 3/16")
        term.send("")  # skip
        term.expect("question 4/16")
        term.send("p")
        term.expect("question 5/16")
        term.send("b")
        term.expect("question 4/16")
        term.expect("Current answer: p · partly")
        term.send("y")
        term.expect("question 5/16")
        term.send("?")
        term.expect(q.question_by_id[order[4]].help.en)  # type: ignore[union-attr]
        term.send("3")
        term.expect("question 6/16")
        term.send("2")
        term.expect("question 7/16")
        term.proc.send_signal(signal.SIGKILL)  # no chance to clean up
        assert term.wait() == -signal.SIGKILL
    given = {order[0]: 4, order[1]: 2, order[3]: "yes", order[4]: 3, order[5]: 2}
    assert saved(out, q) == given
    note = check_responses(parse_responses(out.read_bytes(), "x"), q).respondents[0]
    assert note.answers[order[1]].comment == "weekly reviews"
    assert note.answers[order[1]].evidence == ["minutes.pdf"]

    with Terminal([*cmd, "-o", "tmp/responses.yaml", "--lang", "en", "--resume"], tmp_path) as term:
        term.expect("Resuming tmp/responses.yaml (respondent r1): 5 of 16 questions answered.")
        term.expect("question 3/16")
        term.send("5")
        given[order[2]] = 5
        for step in steps[6:]:
            term.expect(f"question {step.no}/16")
            typed, value = typed_for(step)
            if step.question.type == "kpi":
                term.send("400")
                term.expect("above the maximum")
            term.send(typed)
            given[step.question.id] = value
        term.expect("Finished: 16 answered (0 of them not applicable), 0 skipped, of 16.")
        term.expect("Next: crmm report tmp/responses.yaml -o tmp/responses.pdf --lang en")
        assert term.wait() == 0
    assert saved(out, q) == given
    result = assess(parse_responses(out.read_bytes(), str(out)), q, fw)
    assert result.overall.score is not None and result.organization["name"] == "示例公司 Ltd"
