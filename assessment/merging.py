"""Many respondents' files made into one assessment (`crmm merge`, `crmm import --append`),
and the guard that keeps a responses file from losing respondents when it is written over.

The inputs are responses files (YAML, JSON, columnar JSON), filled crmm workbooks and survey
exports. The rules (docs/importing.md, "Merging files into one assessment"):

- every input answers one questionnaire, same id and version;
- the organisation profile: each of name, industry, size and region must be the same in every
  input that gives it (a workbook may leave its profile cells empty; a responses file always
  gives all four); `--org` states the profile and the inputs' own profiles are then not used;
- the date is `--date`, else the latest date of the inputs (a note says when they differ),
  else today;
- `assessor` and `role_weights`, where given by several inputs, must agree;
- respondent ids must be unique across the inputs, unless duplicates are renamed
  (`rename_duplicates`): the later `r1` becomes `r1-2` (`r1-3`, … the first id not taken).

Respondents keep their answers, comments, evidence and metadata as their file has them, in
the order of the inputs. The merged document is checked as a whole before it is returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frameworks.errors import InputError, Problem
from frameworks.model import ID_PATTERN
from frameworks.plurals import counted

if TYPE_CHECKING:
    from frameworks.model import Framework
    from questionnaires.importers.base import ImportOptions
    from questionnaires.model import Questionnaire

__all__ = [
    "RESPONSES_SUFFIXES",
    "Merged",
    "Part",
    "check_overwrite",
    "merge_files",
    "merge_parts",
    "merged_text",
    "respondents_in",
]

RESPONSES_SUFFIXES = (".yaml", ".yml", ".json")
ORGANIZATION_FIELDS = ("name", "industry", "size", "region")
_ID_MAX = 64


def respondents_phrase(n: int) -> str:
    """`1 respondent`, `3 respondents` (CLDR's plural rule for English, frameworks.plurals)."""
    return counted(n, "respondent", "respondents")


@dataclass
class Part:
    """One input as the merge sees it: what it says about the assessment, its respondents
    (responses-file mappings) and, for locations, where each respondent's id is."""

    source: str
    questionnaire: tuple[str, str]
    organization: dict[str, str]
    date: str | None = None
    assessor: str | None = None
    role_weights: dict[str, Any] = field(default_factory=dict)
    respondents: list[dict[str, Any]] = field(default_factory=list)
    id_where: str = "respondents[{i}].id"
    warnings: list[str] = field(default_factory=list)


@dataclass
class Merged:
    """The merged responses document, the questionnaire it answers, and what to tell."""

    data: dict[str, Any]
    questionnaire: Questionnaire
    framework: Framework
    sources: list[tuple[str, int]]
    warnings: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.data["respondents"])


# --- reading the inputs --------------------------------------------------------------------


def is_responses_file(path: Path) -> bool:
    return path.suffix.lower() in RESPONSES_SUFFIXES


def _answered(answer: Any) -> bool:
    value = answer.get("value") if isinstance(answer, dict) else answer
    return not (value is None or (isinstance(value, list) and not value))


def check_loaded(loaded: Any, q: Questionnaire) -> None:
    """The checks of `check_responses`, column by column where the file was read so (no
    model per answer: a merge of large files stays quick)."""
    from .response_columns import check_table
    from .responses import check_responses

    if loaded.raw is not None:
        check_table(loaded.head, loaded.raw, loaded.source, q)
    else:
        check_responses(loaded, q)


def read_responses_part(path: Path, q: Questionnaire | None) -> tuple[Part, Any]:
    """A responses file as a Part (checked against `q` when given); also its loaded form."""
    from frameworks.fileio import read_bytes

    from .responses import parse_document, parse_responses

    raw = read_bytes(path)
    data = parse_document(raw, str(path))
    loaded = parse_responses(raw, str(path), data)
    head = loaded.head
    if head.evidence_register or head.assessor_ratings:
        field = "assessor_ratings" if head.assessor_ratings else "evidence_register"
        raise InputError.one(
            path,
            field,
            "a file with an evidence register or assessor ratings is not merged: merge the"
            " answers first, then register evidence and rate (crmm rate)",
        )
    if q is not None:
        check_loaded(loaded, q)
    if loaded.raw is not None and isinstance(data.get("respondents"), dict):  # columnar
        people = loaded.raw.respondents()
        id_where = "respondents.id[{i}]"
    else:
        people = []
        for r in data["respondents"]:
            answers = {k: a for k, a in (r.get("answers") or {}).items() if _answered(a)}
            people.append({**r, "answers": answers})
        id_where = "respondents[{i}].id"
    part = Part(
        source=str(path),
        questionnaire=(head.questionnaire.id, head.questionnaire.version),
        organization=head.organization.model_dump(),
        date=head.date.isoformat(),
        assessor=head.assessor,
        role_weights=dict(data.get("role_weights") or {}),
        respondents=people,
        id_where=id_where,
    )
    return part, loaded


def read_export_part(
    path: Path,
    q: Questionnaire,
    options: ImportOptions,
    *,
    platform: str | None = None,
    organization: dict[str, str] | None = None,
    skip_invalid: bool = False,
    allow_empty: bool = False,
) -> Part:
    """A survey export or crmm workbook read as `crmm import` reads it, as a Part; its
    profile may be partial (the other inputs, or --org, give the rest)."""
    from questionnaires.importers.convert import convert

    result = convert(
        path,
        q,
        options,
        platform=platform,
        organization=organization,
        skip_invalid=skip_invalid,
        text=False,
        allow_empty=allow_empty,
        partial_organization=True,
    )
    imported = result.imported
    return Part(
        source=str(path),
        questionnaire=(q.id, q.version),
        organization=dict(result.organization),
        date=imported.date,
        respondents=[dict(r) for r in imported.respondents],
        warnings=list(result.warnings),
    )


def _export_ref(path: Path, platform: str | None) -> tuple[str, str] | None:
    """The questionnaire a crmm workbook names; None for other exports."""
    from questionnaires.importers.table import XLSX_SUFFIXES
    from questionnaires.importers.workbook import workbook_ref

    if platform in (None, "workbook") and path.suffix.lower() in XLSX_SUFFIXES:
        if not path.is_file():
            raise InputError.one(path, "", "file not found")
        return workbook_ref(path)
    return None


def merge_files(
    paths: Sequence[Path],
    *,
    questionnaire: str | Path | None = None,
    framework: str | Path | None = None,
    platform: str | None = None,
    options: ImportOptions | None = None,
    organization: dict[str, str] | None = None,
    imports_organization: dict[str, str] | None = None,
    date: str | None = None,
    skip_invalid: bool = False,
    allow_empty: bool = False,
    rename_duplicates: bool = False,
) -> Merged:
    """Read every input (responses files by their extension .yaml/.yml/.json, anything else
    as `crmm import` reads it) and merge them (`merge_parts`).

    The questionnaire is `questionnaire` if given, else the one the first input that names
    one names (a responses file or a crmm workbook); a survey export names none.
    `organization` is the profile of the merged file (the inputs' own are then not used);
    `imports_organization` completes the profile of the inputs read as exports only (as
    `crmm import --org` does), which must then agree with the others'."""
    from questionnaires.importers.base import ImportOptions
    from questionnaires.loader import load_questionnaire

    from .responses import questionnaire_for

    if not paths:
        raise InputError.one("FILE", "", "give at least one file to merge")
    options = options or ImportOptions()
    # the questionnaire: given, or named by the first input that names one
    refs: list[tuple[str, str] | None] = []
    loaded_first: dict[int, tuple[Part, Any]] = {}
    for i, path in enumerate(paths):
        if is_responses_file(path):
            loaded_first[i] = read_responses_part(path, None)
            refs.append(loaded_first[i][0].questionnaire)
        else:
            refs.append(_export_ref(path, platform))
    named = next(((i, r) for i, r in enumerate(refs) if r is not None), None)
    if questionnaire is not None:
        q, fw = load_questionnaire(questionnaire, framework)
        origin = "--questionnaire"
    elif named is not None:
        i, _ = named
        if i in loaded_first:
            q, fw = questionnaire_for(loaded_first[i][1], None, framework)
        else:
            q, fw = load_questionnaire(named[1][0], framework)
        origin = str(paths[i])
    else:
        raise InputError.one(
            "--questionnaire", "", "required: no input names its questionnaire (a survey export)"
        )
    want = (q.id, q.version)
    problems = []
    for path, ref in zip(paths, refs, strict=True):
        if ref is not None and ref != want:
            field_ = "questionnaire.id" if ref[0] != want[0] else "questionnaire.version"
            problems.append(
                Problem(
                    str(path),
                    field_,
                    f"answers {ref[0]} {ref[1]}, but {origin} is {want[0]} {want[1]}:"
                    " merge answers to one questionnaire and version only",
                )
            )
    if problems:
        raise InputError(problems)
    parts = []
    for i, path in enumerate(paths):
        if i in loaded_first:
            part, loaded = loaded_first[i]
            check_loaded(loaded, q)
            parts.append(part)
        else:
            parts.append(
                read_export_part(
                    path,
                    q,
                    options,
                    platform=platform,
                    organization=imports_organization,
                    skip_invalid=skip_invalid,
                    allow_empty=allow_empty,
                )
            )
    return merge_parts(
        parts, q, fw, organization=organization, date=date, rename_duplicates=rename_duplicates
    )


# --- merging -------------------------------------------------------------------------------


def _agree(
    parts: Sequence[Part], name: str, get: Any, problems: list[Problem], hint: str = ""
) -> Any:
    """The value the parts give for `name` (None if none does); a part that gives another
    value than the first that gives one is a problem naming both files."""
    first: tuple[str, Any] | None = None
    for p in parts:
        value = get(p)
        if value is None or value == {} or value == "":
            continue
        if first is None:
            first = (p.source, value)
        elif value != first[1]:
            problems.append(
                Problem(
                    p.source,
                    name,
                    f"{_shown(value)}, but {first[0]} has {_shown(first[1])}{hint}",
                )
            )
    return None if first is None else first[1]


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    return repr(value) if isinstance(value, str) else str(value)


def renamed_id(rid: str, taken: set[str]) -> str:
    """The first of `rid-2`, `rid-3`, … not in `taken` (cut to stay a valid id)."""
    import re

    n = 2
    while True:
        suffix = f"-{n}"
        base = rid[: _ID_MAX - len(suffix)].rstrip("-_")
        new = base + suffix
        if new not in taken and re.match(ID_PATTERN, new):
            return new
        n += 1


def merge_parts(
    parts: Sequence[Part],
    q: Questionnaire,
    fw: Framework,
    *,
    organization: dict[str, str] | None = None,
    date: str | None = None,
    rename_duplicates: bool = False,
) -> Merged:
    """Merge parts that answer `q` into one responses document (rules: module docstring);
    InputError lists every disagreement and duplicate, each naming both files."""
    from .responses import parse_responses

    problems: list[Problem] = []
    warnings = [w for p in parts for w in p.warnings]
    org: dict[str, str] = {}
    if organization is not None:
        org = dict(organization)
    else:
        settle = " (one organisation per assessment; give --org to settle the profile)"
        for name in ORGANIZATION_FIELDS:
            value = _agree(
                parts,
                f"organization.{name}",
                lambda p, n=name: p.organization.get(n),
                problems,
                settle,
            )
            if value is None:
                problems.append(
                    Problem(
                        "organization",
                        f"organization.{name}",
                        "no input gives it: fill it in a form, or give --org",
                    )
                )
            else:
                org[name] = value
    assessor = _agree(parts, "assessor", lambda p: p.assessor, problems)
    weights = _agree(parts, "role_weights", lambda p: p.role_weights or None, problems)
    # respondents, ids unique
    taken = {str(r["id"]) for p in parts for r in p.respondents}
    owner: dict[str, str] = {}
    people: list[dict[str, Any]] = []
    for p in parts:
        for i, r in enumerate(p.respondents):
            rid = str(r["id"])
            if rid in owner:
                if not rename_duplicates:
                    problems.append(
                        Problem(
                            p.source,
                            p.id_where.format(i=i),
                            f"respondent id {rid!r} is also in {owner[rid]}; give"
                            " --rename-duplicates to rename it",
                        )
                    )
                    continue
                new = renamed_id(rid, taken)
                taken.add(new)
                warnings.append(
                    f"{p.source}: respondent {rid!r} renamed {new!r} ({rid!r} is also in"
                    f" {owner[rid]})"
                )
                r = {**r, "id": new}
                rid = new
            owner[rid] = p.source
            people.append(r)
    if problems:
        raise InputError(problems)
    # the date: given, else the latest
    dates = sorted({p.date for p in parts if p.date})
    if date is not None:
        when = date
    elif dates:
        when = dates[-1]
        if len(dates) > 1:
            warnings.append(
                f"the inputs are dated {dates[0]} to {dates[-1]}; the merged file is dated"
                f" {when}, the latest (give --date to choose another)"
            )
    else:
        when = dt.date.today().isoformat()
    data: dict[str, Any] = {
        "type": "responses",
        "questionnaire": {"id": q.id, "version": q.version},
        "organization": {k: org[k] for k in ORGANIZATION_FIELDS if k in org},
        "date": when,
    }
    if assessor is not None:
        data["assessor"] = assessor
    if weights is not None:
        data["role_weights"] = weights
    data["respondents"] = people
    merged = Merged(data, q, fw, [(p.source, len(p.respondents)) for p in parts], warnings)
    check_loaded(parse_responses(b"", "merged responses", data=dict(data)), q)
    return merged


# --- writing -------------------------------------------------------------------------------


def _compact(respondent: dict[str, Any]) -> dict[str, Any]:
    """Answers with nothing but a value written the short way (`qc-01: 3`)."""
    answers = {
        qid: (a["value"] if isinstance(a, dict) and set(a) == {"value"} else a)
        for qid, a in (respondent.get("answers") or {}).items()
    }
    return {**respondent, "answers": answers}


def merged_text(merged: Merged, *, columnar: bool = False, tool: str = "crmm merge") -> str:
    """The merged responses file: YAML (a header comment names the inputs), or the columnar
    JSON layout (docs/importing.md) with `columnar`; the same data either way (respondents'
    metadata is kept in YAML only: the columnar layout has no place for it)."""
    import yaml

    data = merged.data
    if columnar:
        from questionnaires.importers.answer_table import AnswerTable

        from .response_columns import columnar_json

        head = {k: v for k, v in data.items() if k != "respondents"}
        people = data["respondents"]
        workshops = {
            i: p["participants"] for i, p in enumerate(people) if p.get("kind") == "workshop"
        }
        return columnar_json(head, AnswerTable.from_respondents(people), workshops=workshops)
    inputs = ", ".join(f"{Path(s).name} ({respondents_phrase(n)})" for s, n in merged.sources)
    header = f"# Made by `{tool}` from {inputs}.\n"
    day = dt.date.fromisoformat(str(data["date"]))  # written as a date, not as text
    body = {**data, "date": day, "respondents": [_compact(r) for r in data["respondents"]]}
    return header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)


# --- the guard against losing respondents --------------------------------------------------


def respondents_in(path: Path) -> int | None:
    """How many respondents with at least one answer the responses file at `path` holds
    (a blank template's respondent does not count); None when there is none to lose there:
    no file, not a regular file (a FIFO, a device), an empty file, or a file that is not a
    responses file. A file that cannot be read as YAML or JSON at all is an InputError: it
    may be a responses file being edited, and is not replaced unasked."""
    import os
    import stat

    from frameworks.fileio import read_bytes

    from .responses import parse_document

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if not stat.S_ISREG(mode):
        return None
    raw = read_bytes(path)
    if not raw.strip():
        return None
    try:
        data = parse_document(raw, str(path))
    except InputError as exc:
        where = exc.problems[0].path if exc.problems else ""
        raise InputError.one(
            path,
            where,
            "exists and cannot be read to count its respondents"
            f" ({exc.problems[0].message if exc.problems else exc}); give --force to replace it",
        ) from None
    if not isinstance(data, dict) or data.get("type", "responses") != "responses":
        return None
    people = data.get("respondents")
    if isinstance(people, list):
        return sum(
            1
            for r in people
            if isinstance(r, dict)
            and isinstance(r.get("answers"), dict)
            and any(_answered(a) for a in r["answers"].values())
        )
    if isinstance(people, dict) and isinstance(people.get("id"), list):
        columns = data.get("answers")
        if not isinstance(columns, dict):
            return 0
        columns = [c for c in columns.values() if isinstance(c, list)]
        return sum(
            1
            for i in range(len(people["id"]))
            if any(i < len(c) and _answered(c[i]) for c in columns)
        )
    return None


def check_overwrite(path: Path | None, count: int, *, force: bool, hint: str) -> None:
    """InputError (exit code 2) when writing `count` respondents to `path` would replace a
    responses file holding more, unless `force`; `hint` says what else to do (e.g. `give
    --append FILE to add to it`). Standard output (`None`, `-`) is never guarded."""
    if force or path is None or str(path) == "-":
        return
    existing = respondents_in(path)
    if existing is None or existing <= count:
        return
    writing = f"writing {respondents_phrase(count)}" if count else "a blank file"
    raise InputError.one(
        path,
        "",
        f"holds {respondents_phrase(existing)} with answers; {writing} would replace them:"
        f" {hint}, or --force to replace the file",
    )
