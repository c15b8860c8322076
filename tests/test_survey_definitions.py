"""`crmm questionnaire export --format limesurvey|wjx`: survey definitions for online platforms,
and the round trip definition → platform → export → `crmm import` with no mapping file.

Each test reads the definition back the way the platform does (LimeSurvey's TSV import:
heading row, S/SL/G/Q/SQ/A rows, groups matched across languages by their order, questions
by group and code, answers numbered in file order; wjx's text import: blocks separated by a
blank line, a numbered title with a type marker, one option per line), builds the answers
export that survey would give from what was read (not from the questionnaire), and imports
it with crmm.
"""

from __future__ import annotations

import csv
import html
import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import cli
from frameworks.errors import InputError
from questionnaires.export.survey import check_codes, survey_code
from questionnaires.importers.values import YPN_ORDER
from questionnaires.loader import load_questionnaire
from questionnaires.model import Question, Questionnaire

from .conftest import load_yaml

MC_NA = next(
    x.id
    for x in load_questionnaire("full-audit")[0].questions
    if x.type == "multiple_choice" and x.allow_na
)
ORG = "name: 示例公司\nindustry: retail\nsize: medium\nregion: east-china\n"
LS_COLUMNS = {"class", "type/scale", "name", "relevance", "text", "help", "language"}
LS_TYPES = {
    "anchored": "L",
    "likert": "L",
    "yes_partly_no": "L",
    "single_choice": "L",
    "multiple_choice": "M",
    "kpi": "N",
    "text": "T",
}


@pytest.fixture
def org(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(ORG, "utf-8")
    return path


def export(tmp_path: Path, qid: str, fmt: str, *args: str) -> str:
    out = tmp_path / f"{qid}-{fmt}.txt"
    res = CliRunner().invoke(
        cli, ["questionnaire", "export", qid, "--format", fmt, "-o", str(out), *args]
    )
    assert res.exit_code == 0, res.output
    return out.read_bytes().decode("utf-8")


def run_import(tmp_path: Path, export_file: Path, qid: str, org: Path, *args: str) -> Any:
    out = tmp_path / "answers.yaml"
    common = ["--questionnaire", qid, "--org", str(org), "-o", str(out)]
    res = CliRunner().invoke(cli, ["import", str(export_file), *common, *args])
    assert res.exit_code == 0, res.output
    assert "not imported" not in res.stderr, res.stderr  # every column matched
    return load_yaml(out)


def answers_of(person: dict[str, Any]) -> dict[str, Any]:
    return {
        qid: a["value"] if isinstance(a, dict) else a
        for qid, a in (person.get("answers") or {}).items()
    }


# ---------------------------------------------------------------------------- LimeSurvey
@dataclass
class LsQuestion:
    code: str
    type: str
    text: str
    help: str
    relevance: str
    mandatory: str
    attributes: dict[str, str]
    subs: list[tuple[str, str]] = field(default_factory=list)
    answers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class LsSurvey:
    settings: dict[str, str]
    titles: dict[str, str]
    groups: dict[str, list[tuple[str, list[LsQuestion]]]]  # language -> [(group name, questions)]

    @property
    def languages(self) -> list[str]:
        return [self.settings["language"], *self.settings["additional_languages"].split()]


def ls_parse(text: str) -> LsSurvey:
    """The survey structure as LimeSurvey's TSVImportSurvey reads it."""
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'))
    head = rows[0]
    assert set(head) >= LS_COLUMNS
    settings: dict[str, str] = {}
    titles: dict[str, str] = {}
    groups: dict[str, list[tuple[str, list[LsQuestion]]]] = {}
    order: dict[str, list[str]] = {}  # group order keys per language
    current: LsQuestion | None = None
    for raw in rows[1:]:
        assert len(raw) == len(head), raw
        r = dict(zip(head, raw, strict=True))
        kind = r["class"]
        if kind == "S":
            settings[r["name"]] = r["text"]
        elif kind == "SL":
            if r["name"] == "surveyls_title":
                titles[r["language"]] = r["text"]
        elif kind == "G":
            groups.setdefault(r["language"], []).append((r["name"], []))
            order.setdefault(r["language"], []).append(r["type/scale"])
        elif kind == "Q":
            extra = {k: v for k, v in r.items() if k not in LS_COLUMNS and v}
            attributes = {
                k: v for k, v in extra.items() if k not in ("mandatory", "other", "same_default")
            }
            current = LsQuestion(
                r["name"],
                r["type/scale"],
                r["text"],
                r["help"],
                r["relevance"],
                r["mandatory"],
                attributes,
            )
            groups[r["language"]][-1][1].append(current)
        elif kind == "SQ":
            assert current is not None
            current.subs.append((r["name"], r["text"]))
        elif kind == "A":
            assert current is not None
            current.answers.append((r["name"], r["text"]))
        else:
            raise AssertionError(f"unexpected row class {kind!r}")
    # the importer matches groups across languages by type/scale: the same keys, in order
    first = next(iter(order.values()))
    assert all(keys == first for keys in order.values())
    assert len(set(first)) == len(first)
    return LsSurvey(settings, titles, groups)


def ls_questions(survey: LsSurvey, lang: str) -> list[LsQuestion]:
    return [x for _, qs in survey.groups[lang] for x in qs]


def test_limesurvey_structure_full_audit(tmp_path: Path) -> None:
    q, fw = load_questionnaire("full-audit")
    survey = ls_parse(export(tmp_path, "full-audit", "limesurvey", "--lang", "zh-CN"))
    assert survey.languages == ["zh-Hans", "en"]
    assert survey.settings["format"] == "G"
    assert survey.titles == {"zh-Hans": q.name.zh, "en": q.name.en}
    zh, en = ls_questions(survey, "zh-Hans"), ls_questions(survey, "en")
    # one question per crmm question plus the role question, first; same codes in both blocks
    assert [x.code for x in zh] == [x.code for x in en]
    assert zh[0].code == "ROLE" and zh[0].type == "L" and zh[0].mandatory == "Y"
    assert zh[0].answers == [(f"A{i}", r.name.zh) for i, r in enumerate(q.roles, start=1)]
    assert en[0].text == "Your role" and zh[0].text == "您的角色"
    by_code = {survey_code(x.id): x for x in q.questions}
    assert sorted(x.code for x in zh[1:]) == sorted(by_code)
    assert [name for name, _ in survey.groups["en"]][1:] == [e.name.en for e in fw.elements]
    for lang, block in (("zh-CN", zh), ("en", en)):
        for ls in block[1:]:
            x = by_code[ls.code]
            assert re.fullmatch(r"[A-Z][A-Z0-9]{0,19}", ls.code)
            assert ls.type == LS_TYPES[x.type], ls.code
            assert html.unescape(ls.text) == " ".join(x.text.get(lang).split())  # type: ignore[arg-type]
            assert ls.mandatory == "N"
            positions = {r.id: i for i, r in enumerate(q.roles, start=1)}
            want = " or ".join(f"ROLE.NAOK == 'A{positions[r]}'" for r in x.roles) or "1"
            assert ls.relevance == want
            expected = [a for a, _ in ls.answers]
            assert expected == [f"A{i}" for i in range(1, len(ls.answers) + 1)]
            assert all(len(a) <= 5 for a in expected)
            if x.type == "multiple_choice":
                assert x.options is not None
                texts = [o.text.get(lang) for o in x.options]  # type: ignore[arg-type]
                if x.allow_na:
                    texts.append("不适用" if lang == "zh-CN" else "Not applicable")
                assert ls.subs == [(f"SQ{i:03d}", t) for i, t in enumerate(texts, start=1)]
                assert ls.answers == []
                na_code = f"SQ{len(texts):03d}" if x.allow_na and lang == "zh-CN" else ""
                assert ls.attributes.get("exclude_all_others", "") == na_code
            elif ls.type == "L":
                texts = [html.unescape(t) for _, t in ls.answers]
                n = len(texts) - (1 if x.allow_na else 0)
                assert n == {"yes_partly_no": 3}.get(x.type, len(x.options or []) or 5)
                if x.allow_na:
                    assert texts[-1] == ("不适用" if lang == "zh-CN" else "Not applicable")
                if x.anchors is not None:
                    assert texts[:5] == [a.get(lang) for a in x.anchors]  # type: ignore[arg-type]
            else:
                assert ls.answers == [] and ls.subs == []
            if x.type == "kpi":
                assert x.kpi is not None
                unit = x.kpi.unit.get(lang)  # type: ignore[arg-type]
                assert unit in ls.help
                if lang == "zh-CN":  # attributes once, on the first language's rows
                    lo = "" if x.kpi.minimum is None else f"{x.kpi.minimum:g}"
                    assert ls.attributes.get("min_num_value_n", "") == lo
                else:
                    assert ls.attributes == {}


def _ls_export(survey: LsSurvey, q: Questionnaire, full: bool, seed: int) -> tuple[str, list[Any]]:
    """The CSV LimeSurvey exports for this survey (codes or full texts, in English), with
    each invented respondent's expected crmm role and answers."""
    rng = random.Random(seed)
    block = ls_questions(survey, "en")
    heads = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
    if full:
        heads = ["Response ID", "Date submitted", "Last page", "Start language", "Seed"]
    for ls in block:
        if ls.type == "M":
            text = html.unescape(ls.text)
            heads += [
                f"{text} [{html.unescape(t)}]" if full else f"{ls.code}[{c}]" for c, t in ls.subs
            ]
        else:
            heads.append(html.unescape(ls.text) if full else ls.code)
    rows = [heads]
    expected = []
    by_code = {survey_code(x.id): x for x in q.questions}
    for n in range(1, 7):
        role_pos = (n - 1) % len(q.roles) + 1
        role = q.roles[role_pos - 1].id
        row = [str(n), f"2026-11-0{n} 10:00:00", "9", "en", str(1000 + n)]
        want: dict[str, Any] = {}
        for ls in block:
            if ls.code == "ROLE":
                row.append(html.unescape(ls.answers[role_pos - 1][1]) if full else f"A{role_pos}")
                continue
            x = by_code[ls.code]
            shown = not x.roles or role in x.roles
            if ls.type == "M":
                assert x.options is not None
                n_opts = len(x.options)
                chosen = [i for i in range(n_opts) if shown and rng.random() < 0.5]
                if shown and not chosen:
                    chosen = [0]
                if shown and len(ls.subs) > n_opts and n % 2:  # N/A, which excludes the others
                    chosen = [n_opts]
                    want[x.id] = "na"
                elif chosen:
                    want[x.id] = [x.options[i].id for i in chosen]
                row += ["Y" if i in chosen else "" for i in range(len(ls.subs))]
                continue
            if not shown:  # not relevant for this role: LimeSurvey leaves it empty
                row.append("")
                continue
            if ls.type == "L":
                pos = rng.randint(1, len(ls.answers))
                row.append(html.unescape(ls.answers[pos - 1][1]) if full else f"A{pos}")
                want[x.id] = _value_at(x, pos)
            elif ls.type == "N":
                assert x.kpi is not None
                value = x.kpi.thresholds[rng.randint(0, 3)]
                row.append(f"{value:g}")
                want[x.id] = value
            else:
                row.append(f"建议 {n}：多听一线员工的意见")
                want[x.id] = row[-1]
        rows.append(row)
        expected.append((f"r{n}", role, want))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";" if full else ",", lineterminator="\r\n").writerows(rows)
    return out.getvalue(), expected


def _value_at(x: Question, pos: int) -> Any:
    """The crmm value of the answer at a position of a list question (N/A after the last)."""
    count = {"yes_partly_no": 3, "single_choice": len(x.options or [])}.get(x.type, 5)
    if pos == count + 1:
        assert x.allow_na
        return "na"
    if x.type == "yes_partly_no":
        return YPN_ORDER[pos - 1]
    if x.type == "single_choice":
        assert x.options is not None
        return x.options[pos - 1].id
    return pos


@pytest.mark.parametrize("full", [False, True], ids=["codes", "full-texts"])
def test_limesurvey_round_trip_needs_no_mapping(tmp_path: Path, org: Path, full: bool) -> None:
    q, _ = load_questionnaire("full-audit")
    survey = ls_parse(export(tmp_path, "full-audit", "limesurvey"))
    data, expected = _ls_export(survey, q, full, seed=12)
    path = tmp_path / "limesurvey.csv"
    path.write_text(data, "utf-8")
    imported = run_import(tmp_path, path, "full-audit", org, "--from", "limesurvey")
    people = imported["respondents"]
    assert [(p["id"], p["role"]) for p in people] == [(i, r) for i, r, _ in expected]
    for person, (_, _, want) in zip(people, expected, strict=True):
        assert answers_of(person) == want
    assert any(v == "na" for _, _, w in expected for v in w.values())  # N/A went through
    assert any(w.get(MC_NA) == "na" for _, _, w in expected)  # also on a multiple choice


def test_limesurvey_for_one_role(tmp_path: Path, org: Path) -> None:
    """--role: that role's questions, no role question (import with --role)."""
    q, _ = load_questionnaire("full-audit")
    survey = ls_parse(export(tmp_path, "full-audit", "limesurvey", "--role", "it", "--lang", "en"))
    assert survey.languages == ["en", "zh-Hans"]
    assert survey.titles["en"] == f"{q.name.en} \u2014 IT"
    block = ls_questions(survey, "en")
    mine = {survey_code(x.id) for x in q.questions if not x.roles or "it" in x.roles}
    assert {x.code for x in block} == mine
    assert all(x.relevance == "1" for x in block)
    data, expected = _ls_export(survey, q, full=False, seed=3)
    path = tmp_path / "it.csv"
    path.write_text(data, "utf-8")
    imported = run_import(tmp_path, path, "full-audit", org, "--role", "it")
    assert {p["role"] for p in imported["respondents"]} == {"it"}
    assert answers_of(imported["respondents"][0]) == expected[0][2]


def test_question_ids_that_make_no_code() -> None:
    q = load_questionnaire("quick-check")[0]
    data = q.model_dump()
    data["questions"][0]["id"] = "a-question-id-far-too-long-for-a-code"
    data["questions"][1]["id"] = "qc_03"  # the code of qc-03 too
    data["questions"][3]["id"] = "role"
    bad = Questionnaire.model_validate(data)
    with pytest.raises(InputError) as err:
        check_codes(bad, "q.yaml")
    assert err.value.lines() == [
        "q.yaml: questions[0].id: 'a-question-id-far-too-long-for-a-code' gives the survey"
        " question code 'AQUESTIONIDFARTOOLONGFORACODE', longer than 20 characters: rename it",
        "q.yaml: questions[2].id: 'qc-03' gives the survey question code 'QC03', the code of"
        " 'qc_03' too: rename it",
        "q.yaml: questions[3].id: 'role' gives the survey question code 'ROLE', the code of"
        " the role question too: rename it",
    ]


# ---------------------------------------------------------------------------- 问卷星 wjx
@dataclass
class WjxQuestion:
    number: int
    title: str
    marker: str
    options: list[str]


WJX_TITLE = re.compile(r"^(\d+)\.\s*(.+?)(\[单选题\]|\[多选题\]|\[填空题\])$")


def wjx_parse(text: str) -> tuple[list[str], list[WjxQuestion]]:
    """The survey as wjx's text import reads it: the title block, then one block a question."""
    assert text.endswith("\n") and "\r" not in text
    blocks = [b.split("\n") for b in text.rstrip("\n").split("\n\n")]
    head, questions = blocks[0], []
    for lines in blocks[1:]:
        assert all(line.strip() for line in lines), lines
        m = WJX_TITLE.match(lines[0])
        assert m, lines[0]
        questions.append(WjxQuestion(int(m.group(1)), m.group(2), m.group(3), lines[1:]))
    assert [x.number for x in questions] == list(range(1, len(questions) + 1))
    return head, questions


def test_wjx_text_full_audit(tmp_path: Path) -> None:
    q, _ = load_questionnaire("full-audit")
    head, questions = wjx_parse(export(tmp_path, "full-audit", "wjx"))
    assert head == [q.name.zh, " ".join(q.description.zh.split())]
    role = questions[0]
    assert (role.title, role.marker) == ("您的角色", "[单选题]")
    assert role.options == [r.name.zh for r in q.roles]
    assert len(questions) == len(q.questions) + 1
    by_title = {x.text.zh: x for x in q.questions}
    markers = {"multiple_choice": "[多选题]", "kpi": "[填空题]", "text": "[填空题]"}
    for w in questions[1:]:
        x = by_title.get(w.title) or next(
            y for y in q.questions if y.type == "kpi" and w.title.startswith(y.text.zh)
        )
        assert w.marker == markers.get(x.type, "[单选题]")
        if x.type == "multiple_choice":
            assert x.options is not None
            na = ["不适用"] if x.allow_na else []
            assert w.options == [o.text.zh for o in x.options] + na
        elif w.marker == "[单选题]":
            na = ["不适用"] if x.allow_na else []
            if x.anchors is not None:
                assert w.options == [a.zh for a in x.anchors] + na
            elif x.type == "yes_partly_no":
                assert w.options == ["是", "部分", "否", *na]
            elif x.type == "likert":
                assert w.options == ["完全不同意", "不同意", "一般", "同意", "完全同意", *na]
        else:
            assert w.options == []
        if x.type == "kpi":
            assert x.kpi is not None
            assert w.title.startswith(x.text.zh) and x.kpi.unit.zh in w.title


def _wjx_export(
    questions: list[WjxQuestion], q: Questionnaire, coded: bool, seed: int
) -> tuple[str, list[Any]]:
    """The CSV wjx exports for a survey built from the text (按选项文本 or 按选项序号)."""
    rng = random.Random(seed)
    heads = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
    for w in questions:  # wjx numbers the questions itself
        if coded and w.marker == "[多选题]":
            heads += [f"{w.number}({o})" for o in w.options]
        else:
            heads.append(f"{w.number}、{w.title}")
    rows = [heads]
    expected = []
    by_title = {x.text.zh: x for x in q.questions}
    plain = {w.number: re.sub(r"^\d+\. ", "", w.title) for w in questions}
    for n in range(1, 7):
        role_pos = (n - 1) % len(q.roles) + 1
        row = [str(n), f"2026/11/0{n} 10:00:00", "300秒", "链接", "直接访问", "192.0.2.20"]
        row.append(str(role_pos) if coded else questions[0].options[role_pos - 1])
        want: dict[str, Any] = {}
        for w in questions[1:]:
            title = plain[w.number]
            x = by_title.get(title) or next(y for y in q.questions if title.startswith(y.text.zh))
            if n == 2 and w.number == 3:  # one question skipped
                row.append("-3" if coded else "(跳过)")
                continue
            if w.marker == "[多选题]":
                assert x.options is not None
                n_opts = len(x.options)
                chosen = sorted(rng.sample(range(n_opts), rng.randint(1, 2)))
                want[x.id] = [x.options[i].id for i in chosen]
                if len(w.options) > n_opts and n % 2:  # 不适用 alone
                    chosen, want[x.id] = [n_opts], "na"
                if coded:
                    row += ["1" if i in chosen else "0" for i in range(len(w.options))]
                else:
                    row.append("┋".join(w.options[i] for i in chosen))
            elif w.marker == "[单选题]":
                pos = rng.randint(1, len(w.options))
                row.append(str(pos) if coded else w.options[pos - 1])
                want[x.id] = _value_at(x, pos)
            elif x.type == "kpi":
                assert x.kpi is not None
                value = x.kpi.thresholds[rng.randint(0, 3)]
                row.append(f"{value:g}")
                want[x.id] = value
            else:
                row.append(f"建议{n}")
                want[x.id] = row[-1]
        rows.append(row)
        expected.append((f"r{n}", q.roles[role_pos - 1].id, want))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue(), expected


@pytest.mark.parametrize(
    ("coded", "keep_number"),
    [(False, False), (True, False), (False, True)],
    ids=["by-text", "by-number", "title-keeps-its-number"],
)
def test_wjx_round_trip_needs_no_mapping(
    tmp_path: Path, org: Path, coded: bool, keep_number: bool
) -> None:
    """wjx numbers the questions itself; should it keep the definition's number in the
    title as well (`5、5. 题干`), the headings still match."""
    q, _ = load_questionnaire("full-audit")
    _, questions = wjx_parse(export(tmp_path, "full-audit", "wjx"))
    if keep_number:
        questions = [
            WjxQuestion(w.number, f"{w.number}. {w.title}", w.marker, w.options) for w in questions
        ]
    data, expected = _wjx_export(questions, q, coded, seed=7)
    path = tmp_path / "wjx.csv"
    path.write_bytes(data.encode("gb18030" if coded else "utf-8-sig"))
    imported = run_import(tmp_path, path, "full-audit", org, "--from", "wjx")
    people = imported["respondents"]
    assert [(p["id"], p["role"]) for p in people] == [(i, r) for i, r, _ in expected]
    for person, (_, role, want) in zip(people, expected, strict=True):
        # wjx shows every question to everyone; crmm drops answers from roles not asked
        asked = {k: v for k, v in want.items() if q.question_by_id[k].asked_of(role)}
        assert answers_of(person) == asked
    assert any(v == "na" for _, _, w in expected for v in w.values())
    assert any(w.get(MC_NA) == "na" for _, _, w in expected)


@pytest.mark.parametrize("coded", [False, True], ids=["by-text", "by-number"])
def test_wjx_na_with_other_options_is_an_error(tmp_path: Path, org: Path, coded: bool) -> None:
    """不适用 ticked together with an option: reported, not read as either."""
    q, _ = load_questionnaire("full-audit")
    _, questions = wjx_parse(export(tmp_path, "full-audit", "wjx"))
    data, _ = _wjx_export(questions, q, coded=coded, seed=7)
    rows = list(csv.reader(io.StringIO(data)))
    w = next(w for w in questions if w.title == q.question_by_id[MC_NA].text.zh)
    if coded:
        rows[1][rows[0].index(f"{w.number}({w.options[0]})")] = "1"
        rows[1][rows[0].index(f"{w.number}(不适用)")] = "1"
    else:
        rows[1][rows[0].index(f"{w.number}、{w.title}")] = f"{w.options[0]}┋不适用"
    path = tmp_path / "wjx.csv"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    res = CliRunner().invoke(
        cli, ["import", str(path), "--questionnaire", "full-audit", "--org", str(org)]
    )
    assert res.exit_code == 2
    if coded:
        assert res.stderr == (
            f"{path}: row 2, column '{w.number}(不适用)': not applicable is chosen together"
            " with other options\n"
        )
    else:
        assert res.stderr.startswith(f"{path}: row 2, column '{w.number}、")
        assert res.stderr.endswith(
            "unknown option(s) '不适用' (options: leads, plans, standards, feedback, none)\n"
        )


def test_wjx_english_and_one_role(tmp_path: Path) -> None:
    q, _ = load_questionnaire("quick-check")
    head, questions = wjx_parse(export(tmp_path, "quick-check", "wjx", "--lang", "en"))
    assert questions[0].title == "Your role"
    head, questions = wjx_parse(export(tmp_path, "quick-check", "wjx", "--role", "service"))
    assert head[0] == f"{q.name.zh} \u2014 客户服务"
    assert len(questions) == len(q.questions)  # no role question: import with --role
    assert questions[0].number == 1 and questions[0].title != "您的角色"


# ---------------------------------------------------------------------------- CLI
def test_txt_without_format_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "survey.txt"
    res = CliRunner().invoke(cli, ["questionnaire", "export", "quick-check", "-o", str(out)])
    assert res.exit_code == 2
    assert "a .txt survey definition needs --format (limesurvey or wjx)" in res.output
    assert not out.exists()
