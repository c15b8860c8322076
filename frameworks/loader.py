"""Load a framework from a built-in id or a path, with every problem located."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from .certrules import certification_problems
from .errors import InputError, Problem
from .fileio import load_data, validate_as
from .hashing import GLOSSARY_FILE, framework_sha256
from .languages import language_problems
from .model import (
    Action,
    ActionLibrary,
    Element,
    Framework,
    FrameworkFile,
    GlossaryFile,
    GlossaryTerm,
    duplicates,
    element_anchor_problems,
    ladder_problems,
    phase_problem,
)

FRAMEWORK_FILE = "framework.yaml"


def builtin_dir() -> Path:
    return Path(str(resources.files("frameworks") / "data"))


def builtin_frameworks() -> list[str]:
    return sorted(p.name for p in builtin_dir().iterdir() if (p / FRAMEWORK_FILE).is_file())


def resolve_framework_path(ref: str | Path) -> Path:
    """A built-in id, a framework directory, or a framework YAML file."""
    path = Path(ref)
    if isinstance(ref, str) and ref in builtin_frameworks() and not path.exists():
        return builtin_dir() / ref / FRAMEWORK_FILE
    if path.is_dir():
        return path / FRAMEWORK_FILE
    if not path.exists():
        known = ", ".join(builtin_frameworks())
        raise InputError.one(ref, "", f"no such framework file or built-in id (built-in: {known})")
    return path


def load_framework(ref: str | Path) -> Framework:
    """Load and cross-check a framework; raise InputError listing every problem."""
    return _load_path(resolve_framework_path(ref).resolve())


def _load_path(path: Path) -> Framework:
    head = validate_as(FrameworkFile, _mapping(path), path)
    langs = head.languages
    problems: list[Problem] = language_problems(head, langs, path)
    problems += [Problem(str(path), where, what) for where, what in ladder_problems(head)]
    elements: list[Element] = []
    element_files: list[Path] = []
    for i, entry in enumerate(head.elements):
        if isinstance(entry, Element):
            elements.append(entry)
            element_files.append(path)
            continue
        epath = path.parent / "elements" / f"{entry}.yaml"
        if not epath.is_file():
            problems.append(Problem(str(path), f"elements[{i}]", f"no element file {epath}"))
            continue
        try:
            element = validate_as(Element, _mapping(epath), epath)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if element.id != entry:
            problems.append(Problem(str(epath), "id", f"is {element.id!r}, expected {entry!r}"))
        problems += language_problems(element, langs, epath)
        elements.append(element)
        element_files.append(epath)

    problems += _duplicate_problems(elements, element_files, path)
    for i, (element, file) in enumerate(zip(elements, element_files, strict=True)):
        inline = f"elements[{i}]." if file == path else ""
        problems += [
            Problem(str(file), inline + where, what)
            for where, what in element_anchor_problems(element, head.dimensions is not None)
        ]
    listed = {e.id for e in elements}
    element_dir = path.parent / "elements"
    unlisted = sorted(
        {p.stem for p in element_dir.glob("*.yaml")} - listed if element_dir.is_dir() else set()
    )
    # the cause first: an element file left out of `elements:` (its actions would each fail)
    causes = [
        Problem(
            str(path),
            "elements",
            f"{e!r} is not listed, but elements/{e}.yaml exists: list it, or remove the file"
            " and the recommendations and questions that refer to it",
        )
        for e in unlisted
    ]
    actions: list[tuple[Action, Path, str]] = [
        (a, path, f"actions[{i}]") for i, a in enumerate(head.actions)
    ]
    rec_dir = path.parent / "recommendations"
    for rpath in sorted(rec_dir.glob("*.yaml")) if rec_dir.is_dir() else []:
        try:
            lib = validate_as(ActionLibrary, _mapping(rpath), rpath)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if lib.element in unlisted:  # one line for the library, not one per action
            problems.append(
                Problem(
                    str(rpath),
                    "element",
                    f"element {lib.element!r} is not listed in {path.name}: its"
                    f" {len(lib.actions)} actions are left out",
                )
            )
            continue
        actions += [(a, rpath, f"actions[{i}]") for i, a in enumerate(lib.actions)]
        problems += _library_problems(lib, rpath, elements)
        problems += language_problems(lib, langs, rpath)
    problems += _action_problems(actions, elements, head)
    problems += certification_problems(head, elements, path)
    glossary, glossary_problems = _glossary(head, path)
    problems += glossary_problems
    if problems or causes:
        rest = sorted(set(problems) - set(causes), key=lambda p: (p.file, p.path))
        raise InputError(causes + rest)
    data = head.model_dump(by_alias=True, exclude={"elements", "actions", "glossary"})
    fw = Framework.model_validate(
        {
            **data,
            "elements": elements,
            "actions": [a for a, _, _ in actions],
            "glossary": glossary,
        }
    )
    fw._sha256 = framework_sha256(path)
    return fw


def _glossary(head: FrameworkFile, path: Path) -> tuple[list[GlossaryTerm], list[Problem]]:
    """The terms of framework.yaml's `glossary:`, then those of glossary.yaml beside it."""
    terms = list(head.glossary)
    gpath = path.parent / GLOSSARY_FILE
    if not gpath.is_file():
        return terms, []
    try:
        more = validate_as(GlossaryFile, _mapping(gpath), gpath)
    except InputError as exc:
        return terms, exc.problems
    problems = language_problems(more, head.languages, gpath)
    seen = {t.id for t in terms}
    for i, term in enumerate(more.terms):
        if term.id in seen:
            problems.append(
                Problem(str(gpath), f"terms[{i}].id", f"duplicate glossary term id {term.id!r}")
            )
        seen.add(term.id)
    return terms + more.terms, problems


def _mapping(path: Path) -> Any:
    data = load_data(path)
    if not isinstance(data, dict):
        raise InputError.one(path, "", "expected a YAML mapping at the top level")
    return data


def _duplicate_problems(elements: list[Element], files: list[Path], head: Path) -> list[Problem]:
    problems = []
    for dup in duplicates([e.id for e in elements]):
        problems.append(Problem(str(head), "elements", f"duplicate element id {dup!r}"))
    seen: dict[str, Path] = {}
    for element, file in zip(elements, files, strict=True):
        for j, c in enumerate(element.criteria):
            if c.id in seen and seen[c.id] != file:
                problems.append(
                    Problem(
                        str(file),
                        f"criteria[{j}].id",
                        f"duplicate criterion id {c.id!r} (also in {seen[c.id].name})",
                    )
                )
            seen.setdefault(c.id, file)
    return problems


def _library_problems(lib: ActionLibrary, file: Path, elements: list[Element]) -> list[Problem]:
    element = next((e for e in elements if e.id == lib.element), None)
    if element is None:
        return [Problem(str(file), "element", f"unknown element {lib.element!r}")]
    own = {c.id for c in element.criteria}
    all_criteria = {c.id for e in elements for c in e.criteria}
    return [
        Problem(
            str(file),
            f"actions[{i}].criterion",
            f"criterion {a.criterion!r} belongs to another element, not {lib.element!r}",
        )
        for i, a in enumerate(lib.actions)
        if a.criterion in all_criteria and a.criterion not in own
    ]


def _action_problems(
    actions: list[tuple[Action, Path, str]], elements: list[Element], head: FrameworkFile
) -> list[Problem]:
    criteria = {c.id for e in elements for c in e.criteria}
    problems = []
    seen: set[str] = set()
    for action, file, where in actions:
        if action.id in seen:
            problems.append(Problem(str(file), f"{where}.id", f"duplicate action id {action.id!r}"))
        seen.add(action.id)
        if action.criterion not in criteria:
            problems.append(
                Problem(str(file), f"{where}.criterion", f"unknown criterion {action.criterion!r}")
            )
        wrong = phase_problem(action, head.phases)
        if wrong:
            problems.append(Problem(str(file), f"{where}.phase", wrong))
    return problems
