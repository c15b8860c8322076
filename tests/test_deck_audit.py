"""The board deck of an audit (issue 14 §3 with §1-§2): the clinic audit of
tests/fixtures/two-dimensions (intention and reality, a register, a three-entry trail, a
workshop, a level that needs accepted evidence) read back with python-pptx. The slides and
their order, every number on the audit slides against the JSON result, the override marks,
the kinds of work, the missing evidence, the speaker notes, one language per deck, the
14-slide ceiling, and a one-dimension deck without any of it."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pptx import Presentation

from assessment.cli import cli
from frameworks.langs import Lang
from reports.audit_view import MARK
from reports.labels import labels

from .conftest import MINI
from .test_deck import (
    f1,
    notes_text,
    pictures_at_print_resolution,
    slide_text,
    table_rows,
    text_fits,
)
from .test_language_purity import CJK, english_names, foreign_in_en, foreign_in_zh

ROOT = Path(__file__).resolve().parent.parent
TWO = ROOT / "tests" / "fixtures" / "two-dimensions"
FW = yaml.safe_load((TWO / "framework.yaml").read_text("utf-8"))
INPUTS = [
    "--questionnaire",
    str(TWO / "questionnaire.yaml"),
    "--framework",
    str(TWO / "framework.yaml"),
]


def _neutral(value: Any, lang: Lang) -> Any:
    """The fixture's input text made neutral in `lang`: in English every Chinese text
    written by people becomes plain English; in Chinese the assessor's English title goes."""
    if isinstance(value, dict):
        return {k: _neutral(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [_neutral(v, lang) for v in value]
    if isinstance(value, str):
        if lang == "en" and CJK.search(value):
            return "Written by a person"
        if lang == "zh-CN":
            return value.replace(" (lead assessor)", "（首席评估师）").replace(" v2", "")
    return value


@cache
def responses(lang: Lang, tmp: str) -> Path:
    data = yaml.safe_load((TWO / "responses.yaml").read_text("utf-8"))
    path = Path(tmp) / f"responses-{lang}.yaml"
    path.write_text(yaml.safe_dump(_neutral(data, lang), allow_unicode=True), "utf-8")
    return path


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("deck-audit"))


def report(tmp: str, lang: Lang, suffix: str, *extra: str) -> Path:
    answers = responses(lang, tmp)
    out = Path(tmp) / f"{lang}{'-'.join(extra).replace('/', '_')[-40:]}{suffix}"
    res = CliRunner().invoke(
        cli, ["report", str(answers), *INPUTS, *extra, "--lang", lang, "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    return out


@cache
def _deck(tmp: str, lang: Lang, previous: bool = False) -> bytes:
    extra = ("--previous", str(responses(lang, tmp))) if previous else ()
    return report(tmp, lang, ".pptx", *extra).read_bytes()


@cache
def _result(tmp: str) -> dict[str, Any]:
    res = CliRunner().invoke(cli, ["score", str(responses("en", tmp)), *INPUTS, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


@pytest.fixture(scope="module")
def got(tmp: str) -> dict[str, Any]:
    return _result(tmp)


def deck(tmp: str, lang: Lang, previous: bool = False) -> list[Any]:
    return list(Presentation(io.BytesIO(_deck(tmp, lang, previous))).slides)


def by_title(slides: list[Any]) -> dict[str, Any]:
    return {s.shapes.title.text: s for s in slides}


def names(lang: Lang) -> dict[str, str]:
    """Criterion id -> name in `lang`, as the fixture's framework writes it."""
    return {c["id"]: c["name"][lang] for e in FW["elements"] for c in e["criteria"]}


def marked(got: dict[str, Any]) -> set[str]:
    return {c["id"] for c in got["criteria"] if c["overridden"]}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_slides_and_titles_of_an_audit(tmp: str, lang: Lang) -> None:
    """14 slides: intention vs reality after the radar, assessor ratings before the
    method; each title in the report language."""
    L = labels(lang)
    titles = [s.shapes.title.text for s in deck(tmp, lang)]
    assert titles[1:] == [
        L["deck.verdict"],
        L["deck.basis"],
        L["deck.radar"],
        L["audit.chart_title"],
        L["deck.elements"],
        L["heatmap.title"],
        L["exec.strengths"],
        L["exec.priorities"],
        L["roadmap.title"],
        L["deck.recommendations"],
        L["cert.title"],
        L["audit.overrides"],
        L["deck.method"],
    ]


def test_the_largest_gaps_are_the_results(tmp: str, got: dict[str, Any]) -> None:
    """Beside the chart: the three largest positive gaps, largest first, each with its
    intention, reality and gap as the result has them (rounded half up to 1 decimal), a
    mark on a dimension an assessor rated, and the number of findings (gap ≥ finding_gap)."""
    L = labels("en")
    slide = by_title(deck(tmp, "en"))[L["audit.chart_title"]]
    text = slide_text(slide)
    ahead = sorted((c for c in got["criteria"] if (c["gap"] or 0) > 0), key=lambda c: -c["gap"])
    assert len(ahead) == 4
    lines = text.split("\n")
    name = names("en")
    shown = [line for line in lines if any(line.endswith(" " + n) for n in name.values())]
    assert [s.split(" ", 1)[1] for s in shown] == [name[c["id"]] for c in ahead[:3]]
    for c in ahead[:3]:
        over = set(c["overridden"])
        figures = (
            f"intention {f1(c['intention'])}{MARK if 'intention' in over else ''}"
            f" · reality {f1(c['reality'])}{MARK if 'reality' in over else ''}"
            f" · gap {f1(c['gap'])}"
        )
        assert figures in lines
    assert "reality 25.0† · gap 25.0" in text  # f-waiting: its reality set by a rating
    assert "intention 75.0 · reality 20.0 · gap 55.0" in text  # c-complaints: its score only
    gap = FW["dimensions"]["finding_gap"]
    findings = [c for c in got["criteria"] if c["gap"] is not None and c["gap"] >= gap]
    assert f"{len(findings)} criteria have a gap of {gap} points or more" in text
    assert L.fill("deck.mark_note", mark=MARK) in lines
    keys = {"f-welcome": "1.1", "f-waiting": "1.2", "c-followup": "2.1", "c-complaints": "2.2"}
    assert shown == [f"{keys[c['id']]} {name[c['id']]}" for c in ahead[:3]]
    numbers = set(re.findall(r"\d+\.\d+", "\n".join(x for x in lines if x.startswith("intention"))))
    published = {f1(c[k]) for c in got["criteria"] for k in ("intention", "reality", "gap")}
    assert numbers and numbers <= published
    notes = notes_text(slide)
    for field in ("criteria[].intention", "criteria[].reality", "criteria[].gap"):
        assert field in notes
    assert "dimensions.finding_gap" in notes and "docs/scoring.md" in notes
    assert f"{gap} points" in notes and f": {len(findings)} here" in notes


def test_assessor_ratings_slide_lists_the_overrides(tmp: str, got: dict[str, Any]) -> None:
    """One row per rating that counts (overrides[]), in the result's order: the criterion and
    dimension, before → after and the rating, who and when, the trail's entries, the reason
    and the evidence cited."""
    L = labels("en")
    slide = by_title(deck(tmp, "en"))[L["audit.overrides"]]
    rows = table_rows(slide)
    assert rows[0] == [
        L["audit.target_col"],
        L["audit.before_after"],
        L["audit.by_at"],
        L["audit.reason"],
    ]
    overrides = got["overrides"]
    assert len(rows) == len(overrides) + 1 == 3
    dims = {None: "criterion score", "reality": "Reality", "intention": "Intention"}
    for row, o in zip(rows[1:], overrides, strict=True):
        assert row[0] == f"{names('en')[o['criterion']]} — {dims[o['dimension']]}"
        assert row[1] == f"{f1(o['before'])} → {f1(o['after'])}\nRating: {o['rating']}"
        by = row[2].split("\n")
        assert by[0] == o["by"]
        assert by[1] == re.sub(r"T(\d\d:\d\d):00(\+\d\d:\d\d)", r" \1 \2", o["at"])
        assert (by[2:] == [f"{o['entries']} entries in the trail"]) == (o["entries"] > 1)
        assert row[3].startswith(o["reason"] + "\n")
        assert all(e in row[3] for e in o["evidence"])
    assert rows[2][1] == "29.2 → 25.0\nRating: 2"  # the first entry's before, the last rating
    notes = notes_text(slide)
    assert "overrides[]" in notes and "responses.sha256" in notes and "docs/scoring.md" in notes


def test_override_marks_on_the_criterion_figures(tmp: str, got: dict[str, Any]) -> None:
    """Strengths, priorities and recommendations mark each figure a rating set, and only
    those; each such slide says what the mark means."""
    L = labels("en")
    slides = by_title(deck(tmp, "en"))
    over = marked(got)
    assert over == {"f-waiting", "c-complaints"}
    name = names("en")
    priorities = slide_text(slides[L["exec.priorities"]])
    recs = table_rows(slides[L["deck.recommendations"]])[1:]
    items = got["recommendations"]["items"]
    assert len(recs) == len(items) == 3
    for row, item in zip(recs, items, strict=True):
        cid = item["criterion"]
        mark = MARK if cid in over else ""
        assert row[1].split("\n")[0] == name[cid]
        assert row[2] == f"L{item['current_level']}{mark} → L{item['target_level']}"
        assert f"Level {item['current_level']} · " in priorities
    for cid in over:
        assert re.search(rf"\d+\. {name[cid]}\n.*\nLevel \d · \w+{MARK} →", priorities)
    strengths = slide_text(slides[L["exec.strengths"]])
    assert MARK not in strengths  # the strength (Welcome) was not rated
    note = L.fill("deck.mark_note", mark=MARK)
    for title in (L["exec.priorities"], L["deck.recommendations"]):
        assert note in slide_text(slides[title]).split("\n")
    assert note not in strengths
    for title in (L["deck.verdict"], L["deck.elements"], L["deck.method"]):
        assert MARK not in slide_text(slides[title])  # no criterion figure there


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_recommendations_say_their_kind_of_work(tmp: str, got: dict[str, Any], lang: Lang) -> None:
    L = labels(lang)
    slide = by_title(deck(tmp, lang))[L["deck.recommendations"]]
    rows = table_rows(slide)
    assert rows[0][3] == L["plan.work_kind"]
    kinds = [r["kind"] for r in got["recommendations"]["items"]]
    assert kinds == ["implement-and-embed"] * 3
    assert [r[3] for r in rows[1:]] == [L[f"recs.kind.{k}"] for k in kinds]
    assert "recommendations.items[].kind" in notes_text(slide)


def test_certification_names_the_criteria_lacking_accepted_evidence(
    tmp: str, got: dict[str, Any]
) -> None:
    L = labels("en")
    rows = table_rows(by_title(deck(tmp, "en"))[L["cert.title"]])
    (rule,) = [
        r
        for lv in got["certification"]["levels"]
        for r in lv["rules"]
        if r["kind"] == "accepted-evidence"
    ]
    assert not rule["passed"] and rule["missing"] == ["f-waiting"]
    (row,) = [r for r in rows if L["cert.rule.accepted-evidence"] in r[0]]
    assert row[0].split("\n")[1] == "Criteria without accepted evidence: Waiting times"
    assert row[1:] == [f"{rule['required']:.0f}", f"{rule['actual']:.0f}", L["cert.fail"]]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_deck_of_an_audit_fits_and_has_its_pictures(tmp: str, lang: Lang) -> None:
    prs = Presentation(io.BytesIO(_deck(tmp, lang)))
    assert text_fits(prs) > 100
    # radar, intention vs reality, element bars, heatmap, timeline
    assert pictures_at_print_resolution(prs) == 5


def test_the_chart_picture_is_the_reports_chart(tmp: str) -> None:
    """The picture on the intention-vs-reality slide is the report's chart: square plot
    with the key beside it, wider than tall, at print resolution; kept for a look."""
    from PIL import Image

    L = labels("zh-CN")
    slide = by_title(deck(tmp, "zh-CN"))[L["audit.chart_title"]]
    (picture,) = [s for s in slide.shapes if s.shape_type == 13]
    assert picture._element.nvPicPr.cNvPr.get("descr") == L["audit.chart_title"]
    with Image.open(io.BytesIO(picture.image.blob)) as im:
        assert im.size[0] > im.size[1] > 1000
        (Path(tmp) / "intention-reality.png").write_bytes(picture.image.blob)


def test_each_audit_deck_is_in_one_language(tmp: str) -> None:
    """The zh-CN deck has no English label, name or id of the fixture's framework; the en
    deck nothing Chinese (input text made neutral in each language, as for the demo)."""
    zh = "\n".join(slide_text(s) + "\n" + notes_text(s) for s in deck(tmp, "zh-CN"))
    assert foreign_in_zh(zh) == []
    english = {
        t["en"]
        for part in (FW["elements"], [c for e in FW["elements"] for c in e["criteria"]])
        for item in part
        for t in (item["name"],)
    }
    english |= {lv["name"]["en"] for lv in FW["levels"]} | {p["name"]["en"] for p in FW["phases"]}
    english |= {FW["dimensions"][d]["name"]["en"] for d in ("intention", "reality")}
    english |= {a["text"]["en"] for a in FW["actions"]}
    flat = re.sub(r"\s+", " ", zh)
    assert [
        n for n in sorted(english) if re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", flat)
    ] == []
    ids = {c for e in FW["elements"] for c in [e["id"], *(x["id"] for x in e["criteria"])]}
    assert [i for i in sorted(ids) if re.search(rf"(?<![\w-]){i}(?![\w-])", flat)] == []
    assert len(english_names()) > 100  # the catalogue's English is among what is checked
    en = "\n".join(slide_text(s) + "\n" + notes_text(s) for s in deck(tmp, "en"))
    assert foreign_in_en(en) == []


def test_at_most_fourteen_slides_with_everything(tmp: str) -> None:
    """Intention vs reality, certification, progress and assessor ratings together would
    make 15: the basis slide is left out; everything else is there, and fits."""
    L = labels("en")
    slides = deck(tmp, "en", previous=True)
    titles = [s.shapes.title.text for s in slides]
    assert len(titles) == 14
    assert L["deck.basis"] not in titles
    for key in ("audit.chart_title", "cert.title", "progress.title", "audit.overrides"):
        assert L[key] in titles
    assert titles[-3:] == [L["progress.title"], L["audit.overrides"], L["deck.method"]]
    assert text_fits(Presentation(io.BytesIO(_deck(tmp, "en", True)))) > 100


def test_same_audit_same_bytes(tmp: str) -> None:
    again = report(tmp, "zh-CN", ".pptx", "--format", "pptx").read_bytes()
    assert again == _deck(tmp, "zh-CN")


def test_a_one_dimension_deck_has_none_of_it(tmp_path: Path) -> None:
    """examples/mini (no dimensions, no register, no ratings): no audit slide, no mark,
    no kind-of-work column."""
    out = tmp_path / "deck.pptx"
    args = ["report", str(MINI / "responses.yaml"), "--lang", "en", "-o", str(out)]
    for kind in ("questionnaire", "framework"):
        args += [f"--{kind}", str(MINI / f"{kind}.yaml")]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    L = labels("en")
    slides = list(Presentation(str(out)).slides)
    titles = [s.shapes.title.text for s in slides]
    assert len(titles) == 11 and L["deck.basis"] in titles
    assert L["audit.chart_title"] not in titles and L["audit.overrides"] not in titles
    text = "\n".join(slide_text(s) for s in slides)
    assert MARK not in text and L["plan.work_kind"] not in text
    assert len(table_rows(by_title(slides)[L["deck.recommendations"]])[0]) == 6


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_the_audit_deck(tmp: str) -> None:
    """The audit deck opens in LibreOffice Impress: a page per slide, each rasterised."""
    out = Path(tmp) / "lo"
    out.mkdir(exist_ok=True)
    path = out / "audit.pptx"
    path.write_bytes(_deck(tmp, "zh-CN"))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    from pypdf import PdfReader

    assert len(PdfReader(out / "audit.pdf").pages) == 14


def test_basis_slide_names_the_workshop_and_the_register(tmp: str, got: dict[str, Any]) -> None:
    """What the result rests on: beside the respondents, each workshop (its participants
    and weight, as respondents[] has them) and the evidence register (items, accepted)."""
    L = labels("en")
    slide = by_title(deck(tmp, "en"))[L["deck.basis"]]
    lines = slide_text(slide).split("\n")
    (ws,) = [p for p in got["respondents"] if p["kind"] == "workshop"]
    assert (ws["participants"], ws["weight"]) == (3, 2.0)
    name = yaml.safe_load(responses("en", tmp).read_text("utf-8"))["respondents"][3]["name"]
    assert (
        f"Workshop “{name}” (Nurse): {ws['participants']} participants,"
        f" counting as {ws['weight']:g} respondents"
    ) in lines
    register = yaml.safe_load(responses("en", tmp).read_text("utf-8"))["evidence_register"]
    accepted = sum(1 for e in register if e["status"] == "accepted")
    assert f"Evidence register: {len(register)} items, {accepted} accepted" in lines
    assert "respondents[]" in notes_text(slide) and "criteria[].evidence" in notes_text(slide)


def test_heatmap_slide_says_what_its_marks_mean(tmp: str) -> None:
    L = labels("zh-CN")
    slide = by_title(deck(tmp, "zh-CN"))[L["heatmap.title"]]
    assert L.fill("deck.mark_note", mark=MARK) in slide_text(slide).split("\n")


@pytest.mark.slow
def test_same_audit_deck_from_two_processes(tmp: str) -> None:
    """`crmm report` of the audit in two processes with different hash seeds: same bytes."""
    outs = []
    for seed in ("1", "2"):
        out = Path(tmp) / f"seed{seed}.pptx"
        args = ["report", str(TWO / "responses.yaml"), *INPUTS, "--lang", "en", "-o", str(out)]
        subprocess.run(
            [sys.executable, "-m", "assessment", *args],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=300,
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def audit_context(lang: Lang) -> Any:
    """The fixture's report context, built as `crmm report` builds it."""
    from assessment.engine import assess
    from assessment.responses import load_responses, questionnaire_for
    from reports import build_context

    loaded = load_responses(TWO / "responses.yaml")
    q, fw = questionnaire_for(loaded, str(INPUTS[1]), str(INPUTS[3]))
    return build_context(assess(loaded, q, fw), fw, q, lang, responses=loaded.responses)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_many_overrides_are_cut_to_what_fits(lang: Lang) -> None:
    """Twelve ratings that count (the two of the fixture, six times over): the slide shows
    the first five and says how many more the report's annex holds; every box fits."""
    import dataclasses

    from reports.deck import deck_bytes
    from reports.deck_audit import TOP_OVERRIDES

    ctx = audit_context(lang)
    many = dataclasses.replace(ctx.audit, overrides=ctx.audit.overrides * 6)
    prs = Presentation(io.BytesIO(deck_bytes(dataclasses.replace(ctx, audit=many))))
    L = labels(lang)
    slide = by_title(list(prs.slides))[L["audit.overrides"]]
    assert len(table_rows(slide)) == TOP_OVERRIDES + 1
    assert L.plural("deck.more_overrides", 12 - TOP_OVERRIDES) in slide_text(slide).split("\n")
    assert text_fits(prs) > 100


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_decimal_on_the_audit_deck_is_a_figure_of_the_result(
    tmp: str, got: dict[str, Any], lang: Lang
) -> None:
    """As for the demo's deck: every decimal number on the slides before the appendix is a
    number of the JSON result as published (criterion numbers like 2.1 and versions aside)."""
    from .test_deck import _floats, half_up

    published = {"5.00"}
    for x in _floats(got):
        published |= {half_up(x, 1), half_up(x, 2), half_up(x * 100, 1), half_up(x * 100, 2)}
    text = "\n".join(slide_text(s) for s in deck(tmp, lang)[1:-1])
    text = re.sub(r"\d+\.\d+\.\d+", " ", text)  # versions
    text = re.sub(r"(?m)^\d+\.\d+ (?=[^\W\d_])", " ", text)  # criterion numbers (2.1 Name)
    found = re.findall(r"(?<![\d.])\d+\.\d+(?![\d.])", text)
    assert len(found) > 20
    assert sorted(set(found) - published) == []


def test_method_slide_states_the_dimension_rules(tmp: str) -> None:
    """The appendix gives the framework's rule for a criterion's score (the minimum here)
    and which gaps are findings, as the report's method does."""
    L = labels("en")
    lines = slide_text(deck(tmp, "en")[-1]).split("\n")
    assert f"{L['audit.rule.minimum']} {L['audit.rule.one_dimension']}" in lines
    gap = FW["dimensions"]["finding_gap"]
    assert L.fill("audit.finding_rule", gap=gap) in lines


def test_recommendations_too_long_for_the_slide_are_counted_not_squeezed() -> None:
    """Eight recommendations whose first action runs to 400 characters: the table holds
    as many as fit at the smallest font, the line below counts the rest, the notes say how
    many are shown, and every box fits."""
    import dataclasses

    from reports.deck import deck_bytes

    ctx = audit_context("en")
    first = ctx.recommendations[0]
    long = "Write the procedure down and train every desk on it. " * 8
    action = dataclasses.replace(first.actions[0], text=long.strip())
    recs = tuple(dataclasses.replace(first, rank=i, actions=(action,)) for i in range(1, 9))
    prs = Presentation(io.BytesIO(deck_bytes(dataclasses.replace(ctx, recommendations=recs))))
    L = labels("en")
    slide = by_title(list(prs.slides))[L["deck.recommendations"]]
    shown = len(table_rows(slide)) - 1
    assert 1 <= shown < 6
    assert L.plural("deck.more_recommendations", 8 - shown) in slide_text(slide).split("\n")
    assert L.fill("deck.note.recommendations", n=shown, total=8) in notes_text(slide)
    assert text_fits(prs) > 100
