"""Many respondents' files become one assessment: `crmm merge` (responses files, crmm
workbooks, survey exports), `crmm import --append`, and no responses file replaced by one
with fewer respondents without --force (import, merge, template)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.cli import cli
from assessment.engine import assess
from assessment.responses import parse_responses
from frameworks.fileio import parse_data
from questionnaires.export import export_questionnaire
from questionnaires.loader import load_questionnaire

from .conftest import ROOT, write_yaml
from .test_questionnaire_export import PROFILE, _fill

QC, FW = load_questionnaire("quick-check")
PLAIN = ROOT / "tests" / "fixtures" / "surveys" / "plain.csv"
ORG = {"name": "示例公司", "industry": "retail", "size": "medium", "region": "east-china"}
LEVELS = [x.id for x in QC.questions if x.type == "anchored"]


def doc(people: list[dict[str, Any]], **head: Any) -> dict[str, Any]:
    return {
        "type": "responses",
        "questionnaire": {"id": "quick-check", "version": "1.1.0"},
        "organization": dict(ORG),
        "date": dt.date(2026, 11, 1),
        **head,
        "respondents": people,
    }


def person(rid: str, role: str, base: int, **extra: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {qid: 1 + (base + i) % 5 for i, qid in enumerate(LEVELS)}
    answers.update(extra)
    return {"id": rid, "role": role, "answers": answers}


A = [
    person("r1", "leadership", 0, **{"qc-04": {"value": "partly", "comment": "只有季度复盘"}}),
    person("r2", "service", 1),
    person("r3", "it", 2),
]
B = [person("r4", "sales", 3), person("r5", "marketing", 4, **{"qc-13": 4.5})]


def run(*args: str, code: int = 0) -> Any:
    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert res.exit_code == code, res.output
    return res


def result_of(path_or_bytes: Path | bytes, name: str = "x.yaml") -> dict[str, Any]:
    """The whole scored result, less the responses file's name and hash."""
    raw = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    d = assess(parse_responses(raw, name), QC, FW).model_dump(mode="json")
    d.pop("responses")
    return d


def union_result(people: list[dict[str, Any]], **head: Any) -> dict[str, Any]:
    return result_of(yaml.safe_dump(doc(people, **head), allow_unicode=True).encode())


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    a = write_yaml(tmp_path / "a.yaml", doc(A))
    b = write_yaml(tmp_path / "b.yaml", doc(B, date=dt.date(2026, 11, 20)))
    return a, b


# --- merge: the union ------------------------------------------------------------------------


def test_merge_scores_as_the_hand_built_union(tmp_path: Path, files: tuple[Path, Path]) -> None:
    out = tmp_path / "audit.yaml"
    res = run("merge", *files, "-o", out)
    assert "merged 5 respondents from" in res.output
    assert f"{files[0]} (3 respondents), {files[1]} (2 respondents)" in res.output
    merged = parse_data(out.read_bytes(), out)
    assert [r["id"] for r in merged["respondents"]] == ["r1", "r2", "r3", "r4", "r5"]
    assert merged["respondents"][0]["answers"]["qc-04"] == {
        "value": "partly",
        "comment": "只有季度复盘",
    }
    assert merged["date"] == dt.date(2026, 11, 20)  # the latest, said in a warning
    assert "dated 2026-11-01 to 2026-11-20; the merged file is dated 2026-11-20" in res.output
    assert result_of(out) == union_result(A + B, date=dt.date(2026, 11, 20))
    run("validate", out)


def test_merge_to_columnar_json_and_stdout(tmp_path: Path, files: tuple[Path, Path]) -> None:
    out = tmp_path / "audit.json"
    run("merge", *files, "-o", out, "--date", "2026-12-01")
    data = json.loads(out.read_text("utf-8"))
    assert data["respondents"]["id"] == ["r1", "r2", "r3", "r4", "r5"]  # the columnar layout
    assert data["date"] == "2026-12-01"
    want = union_result(A + B, date=dt.date(2026, 12, 1))
    assert result_of(out, "audit.json") == want
    res = CliRunner().invoke(cli, ["merge", *map(str, files), "-o", "-", "--date", "2026-12-01"])
    assert res.exit_code == 0
    assert result_of(res.stdout_bytes) == want
    run("merge", *files, "-o", tmp_path / "audit.txt", code=2)  # an unknown extension


def test_merge_workbooks_one_without_its_profile(tmp_path: Path) -> None:
    """How a consultant collects workbooks: respondents fill in their own cells; one leaves
    the organisation's cells empty and takes the profile the others give."""
    blank = tmp_path / "form.xlsx"
    blank.write_bytes(export_questionnaire(QC, FW, "xlsx", "en"))
    books, people = [], []
    for n, role in enumerate(["Leadership", "Customer service", "IT"], start=1):
        cells = {qid: 1 + (n + i) % 5 for i, qid in enumerate(LEVELS)}
        profile = {**PROFILE, "respondent.id": f"r{n}", "respondent.role": role}
        profile["date"] = dt.datetime(2026, 11, n)
        if n == 2:
            for key in ("organization.name", "organization.industry", "date"):
                profile[key] = None
        books.append(_fill(blank, cells, profile, tmp_path / f"r{n}.xlsx"))
        role_id = {"Leadership": "leadership", "Customer service": "service", "IT": "it"}[role]
        people.append(
            {"id": f"r{n}", "role": role_id, "department": "CEO office", "answers": cells}
        )
    out = tmp_path / "audit.yaml"
    run("merge", *books, "-o", out)
    merged = parse_data(out.read_bytes(), out)
    assert merged["organization"] == ORG
    assert merged["date"] == dt.date(2026, 11, 3)
    assert result_of(out) == union_result(people, date=dt.date(2026, 11, 3))


def test_merge_a_survey_export_with_responses(tmp_path: Path, files: tuple[Path, Path]) -> None:
    out = tmp_path / "audit.yaml"
    res = run("merge", files[0], PLAIN, "--from", "csv", "-o", out, code=2)
    assert f"{PLAIN}: respondents[0].id: respondent id 'r1' is also in {files[0]}" in res.output
    res = run("merge", files[0], PLAIN, "--from", "csv", "--rename-duplicates", "-o", out)
    ids = [r["id"] for r in parse_data(out.read_bytes(), out)["respondents"]]
    assert ids == ["r1", "r2", "r3", "r1-2", "r2-2", "r3-2"]
    assert f"warning: {PLAIN}: respondent 'r1' renamed 'r1-2' ('r1' is also in" in res.output


# --- merge: what must agree --------------------------------------------------------------------


def test_questionnaire_version_must_agree(tmp_path: Path, files: tuple[Path, Path]) -> None:
    other = doc(B, questionnaire={"id": "quick-check", "version": "1.2.0"})
    b = write_yaml(tmp_path / "b.yaml", other)
    res = run("merge", files[0], b, "-o", tmp_path / "m.yaml", code=2)
    assert res.output.startswith(
        f"{b}: questionnaire.version: answers quick-check 1.2.0, but {files[0]} is"
        " quick-check 1.1.0"
    )
    assert "Traceback" not in res.output
    c = write_yaml(
        tmp_path / "c.yaml", doc(B, questionnaire={"id": "full-audit", "version": "1.1.0"})
    )
    res = run("merge", files[0], c, code=2)
    assert f"{c}: questionnaire.id: answers full-audit 1.1.0, but {files[0]}" in res.output


def test_organisation_must_agree(tmp_path: Path, files: tuple[Path, Path]) -> None:
    b = write_yaml(tmp_path / "b.yaml", doc(B, organization={**ORG, "industry": "banking"}))
    out = tmp_path / "m.yaml"
    res = run("merge", files[0], b, "-o", out, code=2)
    assert res.output.strip().splitlines() == [
        f"{b}: organization.industry: 'banking', but {files[0]} has 'retail' (one organisation"
        " per assessment; give --org to settle the profile)"
    ]
    assert not out.exists()
    org = write_yaml(tmp_path / "org.yaml", ORG)
    run("merge", files[0], b, "--org", org, "-o", out)
    assert parse_data(out.read_bytes(), out)["organization"] == ORG


def test_assessor_and_role_weights_must_agree(tmp_path: Path, files: tuple[Path, Path]) -> None:
    a = write_yaml(tmp_path / "a2.yaml", doc(A, assessor="王璟", role_weights={"leadership": 2}))
    b = write_yaml(tmp_path / "b2.yaml", doc(B, assessor="Li Ming", role_weights={"it": 2}))
    res = run("merge", a, b, code=2)
    assert f"{b}: assessor: 'Li Ming', but {a} has '王璟'" in res.output
    assert f"{b}: role_weights: {{it: 2}}, but {a} has {{leadership: 2}}" in res.output
    out = tmp_path / "m.yaml"
    run("merge", a, files[1], "-o", out)  # given by one file only: taken
    merged = parse_data(out.read_bytes(), out)
    assert (merged["assessor"], merged["role_weights"]) == ("王璟", {"leadership": 2})
    weights = {"role_weights": {"leadership": 2}, "assessor": "王璟"}
    assert result_of(out) == union_result(A + B, date=dt.date(2026, 11, 20), **weights)


def test_duplicate_ids_error_or_renamed(tmp_path: Path, files: tuple[Path, Path]) -> None:
    c = write_yaml(tmp_path / "c.yaml", doc([person("r1", "sales", 2), person("r1-2", "it", 3)]))
    res = run("merge", files[0], c, code=2)
    assert res.output.strip() == (
        f"{c}: respondents[0].id: respondent id 'r1' is also in {files[0]}; give"
        " --rename-duplicates to rename it"
    )
    out = tmp_path / "m.yaml"
    res = run("merge", files[0], c, c, "--rename-duplicates", "-o", out)
    ids = [r["id"] for r in parse_data(out.read_bytes(), out)["respondents"]]
    # r1-2 is taken by c.yaml itself, so c's r1 becomes r1-3; the second copy of c follows
    assert ids == ["r1", "r2", "r3", "r1-3", "r1-2", "r1-4", "r1-2-2"]
    assert f"warning: {c}: respondent 'r1' renamed 'r1-3' ('r1' is also in {files[0]})" in (
        res.output
    )
    first = out.read_bytes()
    run("merge", files[0], c, c, "--rename-duplicates", "-o", out, "--force")
    assert out.read_bytes() == first  # deterministic


def test_an_invalid_input_is_located_in_its_file(tmp_path: Path, files: tuple[Path, Path]) -> None:
    bad = write_yaml(tmp_path / "bad.yaml", doc([person("r9", "sales", 0, **{"qc-01": 7})]))
    res = run("merge", files[0], bad, code=2)
    assert res.output.startswith(f"{bad}: respondents[0].answers.qc-01: ")
    res = run("merge", files[0], tmp_path / "missing.yaml", code=2)
    assert res.output.strip() == f"{tmp_path / 'missing.yaml'}: file not found"


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    levels=st.lists(st.lists(st.integers(1, 5), min_size=4, max_size=4), min_size=2, max_size=7),
    cuts=st.sets(st.integers(1, 6), max_size=3),
)
def test_merging_the_parts_of_a_file_gives_the_file(
    tmp_path: Path, levels: list[list[int]], cuts: set[int]
) -> None:
    """Split a responses file into parts anywhere: merging them scores as the file did."""
    roles = ["leadership", "sales", "marketing", "service", "it"]
    people = [
        {"id": f"r{i}", "role": roles[i % 5], "answers": dict(zip(LEVELS, row, strict=False))}
        for i, row in enumerate(levels)
    ]
    edges = [0, *sorted(c for c in cuts if c < len(people)), len(people)]
    parts = []
    for k, (lo, hi) in enumerate(itertools.pairwise(edges)):
        parts.append(write_yaml(tmp_path / f"part{k}.yaml", doc(people[lo:hi])))
    out = tmp_path / "merged.yaml"
    run("merge", *parts, "-o", out, "--force")
    assert result_of(out) == union_result(people)


# --- import --append, and no respondents lost ------------------------------------------------


def test_import_does_not_replace_more_respondents(tmp_path: Path, files: tuple[Path, Path]) -> None:
    """The reported case: a 1-respondent import written over a 3-respondent assessment."""
    blank = tmp_path / "form.xlsx"
    blank.write_bytes(export_questionnaire(QC, FW, "xlsx", "en"))
    cells = {qid: 3 for qid in LEVELS}
    book = _fill(blank, cells, {**PROFILE, "respondent.id": "r7"}, tmp_path / "r7.xlsx")
    audit = files[0]
    before = audit.read_bytes()
    res = run("import", book, "-o", audit, code=2)
    assert res.output.strip().splitlines()[-1] == (
        f"{audit}: holds 3 respondents with answers; writing 1 respondent would replace them:"
        f" give --append {audit} to add to it, or --force to replace the file"
    )
    assert audit.read_bytes() == before
    json_audit = tmp_path / "audit.json"
    run("merge", audit, "-o", json_audit)
    res = run("import", book, "-o", json_audit, code=2)
    assert "holds 3 respondents with answers; writing 1 respondent" in res.output

    res = run("import", book, "--append", audit)
    assert f"appended 1 respondent from {book} to {audit} (4 respondents in all)" in res.output
    merged = parse_data(audit.read_bytes(), audit)
    assert [r["id"] for r in merged["respondents"]] == ["r1", "r2", "r3", "r7"]
    r7 = {"id": "r7", "role": "leadership", "department": "CEO office", "answers": cells}
    assert result_of(audit) == union_result([*A, r7])
    run("import", book, "--append", audit, code=2)  # r7 twice
    run("import", book, "--append", audit, "--rename-duplicates")
    assert len(parse_data(audit.read_bytes(), audit)["respondents"]) == 5

    run("import", book, "--append", json_audit)
    assert json.loads(json_audit.read_text("utf-8"))["respondents"]["id"][-1] == "r7"
    run("import", book, "-o", audit, "--force")
    assert len(parse_data(audit.read_bytes(), audit)["respondents"]) == 1


def test_append_checks_the_profile(tmp_path: Path, files: tuple[Path, Path]) -> None:
    org = write_yaml(tmp_path / "org.yaml", {**ORG, "size": "large"})
    res = run(
        "import", PLAIN, "--from", "csv", "--questionnaire", "quick-check", "--org", org,
        "--append", files[0], "--rename-duplicates", code=2,
    )  # fmt: skip
    assert f"{PLAIN}: organization.size: 'large', but {files[0]} has 'medium'" in res.output
    res = run("import", PLAIN, "--from", "csv", "--append", files[0], "-o", "x.yaml", code=2)
    assert "give -o or --append, not both" in res.output
    res = run("import", PLAIN, "--append", tmp_path / "none.yaml", code=2)
    assert "no such responses file to append to" in res.output


def test_merge_and_template_do_not_replace_more(tmp_path: Path, files: tuple[Path, Path]) -> None:
    audit = tmp_path / "audit.yaml"
    run("merge", *files, "-o", audit)
    res = run("merge", files[1], "-o", audit, code=2)
    assert res.output.strip() == (
        f"{audit}: holds 5 respondents with answers; writing 2 respondents would replace them:"
        " add it to the files merged, or --force to replace the file"
    )
    run("merge", audit, files[0], "-o", audit, "--rename-duplicates")  # more: fine
    res = run("template", "quick-check", "-o", audit, code=2)
    assert f"{audit}: holds 8 respondents with answers; a blank file would replace them" in (
        res.output
    )
    link = tmp_path / "link.yaml"
    link.symlink_to(audit)
    run("template", "quick-check", "-o", link, code=2)  # through a symbolic link too
    run("template", "quick-check", "-o", tmp_path / "blank.yaml")
    run("template", "quick-check", "-o", tmp_path / "blank.yaml")  # a blank over a blank
    broken = tmp_path / "broken.yaml"
    broken.write_text("type: responses\nrespondents: [\n", "utf-8")
    res = run("template", "quick-check", "-o", broken, code=2)
    assert "exists and cannot be read to count its respondents" in res.output
    run("template", "quick-check", "-o", audit, "--force")
    assert "qc-16:\n" in audit.read_text("utf-8")  # the blank template
