"""Load questionnaires (built-in id or path) and check them against their framework."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from frameworks.errors import InputError, Problem
from frameworks.fileio import load_data, validate_as
from frameworks.hashing import file_sha256
from frameworks.languages import language_problems
from frameworks.loader import load_framework
from frameworks.model import Framework

from .model import Questionnaire


def builtin_dir() -> Path:
    return Path(str(resources.files("questionnaires") / "data"))


def builtin_questionnaires() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def resolve_questionnaire_path(ref: str | Path) -> Path:
    path = Path(ref)
    if isinstance(ref, str) and ref in builtin_questionnaires() and not path.exists():
        return builtin_dir() / f"{ref}.yaml"
    if not path.exists():
        known = ", ".join(builtin_questionnaires())
        raise InputError.one(
            ref, "", f"no such questionnaire file or built-in id (built-in: {known})"
        )
    return path


def load_questionnaire(
    ref: str | Path, framework: str | Path | Framework | None = None
) -> tuple[Questionnaire, Framework]:
    """Load a questionnaire and the framework it belongs to, cross-checked.

    `framework` overrides where the framework comes from (a built-in id, a path, or an already
    loaded framework); by default the questionnaire's own framework id is looked up.
    """
    path = resolve_questionnaire_path(ref).resolve()
    q = _load_path(path)
    if isinstance(framework, Framework):
        fw = framework
    else:
        fw = load_framework(framework if framework is not None else q.framework.id)
    problems = check_against(q, fw, path)
    if problems:
        raise InputError(problems)
    return with_framework_anchors(q, fw), fw


def with_framework_anchors(q: Questionnaire, fw: Framework) -> Questionnaire:
    """`q` with the framework's anchors for each anchored question that names a dimension
    and gives none of its own (what every form, import and report then shows)."""
    missing = {x.id for x in q.questions if x.type == "anchored" and x.anchors is None}
    if not missing:
        return q
    questions = [
        x.model_copy(update={"anchors": getattr(fw.criteria[x.criterion].anchors, x.dimension)})
        if x.id in missing and x.dimension is not None
        else x
        for x in q.questions
    ]
    fields = {k: getattr(q, k) for k in Questionnaire.model_fields}
    filled = Questionnaire.model_validate({**fields, "questions": questions})
    filled._sha256 = q._sha256
    return filled


def read_questionnaire(ref: str | Path) -> Questionnaire:
    """A questionnaire read and checked on its own, not against its framework."""
    return _load_path(resolve_questionnaire_path(ref).resolve())


def _load_path(path: Path) -> Questionnaire:
    data = load_data(path)
    if not isinstance(data, dict):
        raise InputError.one(path, "", "expected a YAML mapping at the top level")
    q = validate_as(Questionnaire, data, path)
    q._sha256 = file_sha256(path)
    return q


def check_against(q: Questionnaire, fw: Framework, file: str | Path) -> list[Problem]:
    """Located problems between a questionnaire and a framework."""
    f = str(file)
    if (q.framework.id, q.framework.version) != (fw.id, fw.version):
        return [
            Problem(
                f,
                "framework",
                f"questionnaire is for {q.framework.id} {q.framework.version},"
                f" but the framework loaded is {fw.id} {fw.version}",
            )
        ]
    # every text in the framework's languages (more are allowed: a shared questionnaire)
    problems = language_problems(q, fw.languages, f, exact=False)
    roles = set(q.role_by_id)
    for i, question in enumerate(q.questions):
        if question.criterion not in fw.criteria:
            problems.append(
                Problem(f, f"questions[{i}].criterion", f"unknown criterion {question.criterion!r}")
            )
        if question.dimension is not None and fw.dimensions is None:
            problems.append(
                Problem(
                    f,
                    f"questions[{i}].dimension",
                    f"framework {fw.id} {fw.version} declares no dimensions",
                )
            )
        for j, role in enumerate(question.roles):
            if role not in roles:
                problems.append(Problem(f, f"questions[{i}].roles[{j}]", f"unknown role {role!r}"))
    return problems
