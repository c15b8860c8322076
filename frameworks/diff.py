"""What changed between two framework versions: a list of changes a certification body can publish.

Sections, in order: framework, element, criterion, level, scoring, gating, certification,
phase, action. Changed items are listed in the old framework's order, added ones after them
in the new framework's order; texts show as `en / zh-CN`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from pydantic import BaseModel

from .fileio import canonical_json
from .model import Certification, CertificationLevel, Framework
from .text import Text

ChangeKind = Literal["added", "removed", "changed"]
Value = str | float | int | bool | None


@dataclass(frozen=True)
class Change:
    change: ChangeKind
    section: str
    id: str
    field: str
    old: Value
    new: Value


@dataclass(frozen=True)
class FrameworkDiff:
    old: dict[str, str]
    new: dict[str, str]
    actions: tuple[int, int]
    changes: tuple[Change, ...]

    def as_json(self) -> str:
        data = {
            "old": self.old,
            "new": self.new,
            "actions": {"old": self.actions[0], "new": self.actions[1]},
            "changes": [asdict(c) for c in self.changes],
        }
        return canonical_json(data)


def framework_ref(fw: Framework) -> dict[str, str]:
    return {"id": fw.id, "version": fw.version, "sha256": fw.sha256}


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Every difference in criteria, weights, levels, settings, rules, phases and actions."""
    changes: list[Change] = []
    changes += _fields("framework", old.id, old, new, ["id", "version", "name", "description"])
    changes += _fields("framework", old.id, old, new, ["weighting_rationale", "languages"])
    changes += _keyed("ladder", old.ladders, new.ladders, lambda d: d.id, ["name"], "name")
    changes += _keyed(
        "element",
        old.elements,
        new.elements,
        lambda e: e.id,
        ["name", "weight", "description", "weight_rationale", "max_na_share"],
        "weight",
    )
    changes += _criteria(old, new)
    changes += _keyed(
        "level",
        old.levels,
        new.levels,
        lambda lv: str(lv.level),
        ["id", "name", "min_index", "description", "ladders"],
        "min_index",
    )
    changes += _fields("scoring", "scoring", old.scoring, new.scoring, _names(old.scoring))
    changes += _fields("gating", "gating", old.gating, new.gating, _names(old.gating))
    changes += _certification(old.certification, new.certification)
    changes += _keyed(
        "phase", old.phases, new.phases, lambda p: p.id, ["order", "name", "description"], "order"
    )
    changes += _keyed(
        "action",
        old.actions,
        new.actions,
        lambda a: a.id,
        ["criterion", "level", "phase", "effort", "owner_role", "text"],
        "criterion",
    )
    return FrameworkDiff(
        framework_ref(old),
        framework_ref(new),
        (len(old.actions), len(new.actions)),
        tuple(changes),
    )


def show(v: Any) -> Value:
    if isinstance(v, Text):
        return " / ".join(reversed(v.texts()))
    if isinstance(v, list | tuple):
        return ", ".join(str(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {x}" for k, x in v.items())
    if isinstance(v, str | float | int | bool) or v is None:
        return v
    return str(v)


def _names(model: BaseModel) -> list[str]:
    return list(type(model).model_fields)


def _fields(section: str, key: str, old: Any, new: Any, names: Iterable[str]) -> list[Change]:
    out = []
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(Change("changed", section, key, name, show(a), show(b)))
    return out


def _keyed(
    section: str,
    old: Sequence[Any],
    new: Sequence[Any],
    key: Any,
    names: list[str],
    summary: str,
) -> list[Change]:
    """Added, removed and changed items matched by key; `summary` describes added/removed."""
    a = {key(x): x for x in old}
    b = {key(x): x for x in new}
    out: list[Change] = []
    for k, x in a.items():
        if k not in b:
            out.append(Change("removed", section, k, summary, show(getattr(x, summary)), None))
        else:
            out += _fields(section, k, x, b[k], names)
    for k, y in b.items():
        if k not in a:
            out.append(Change("added", section, k, summary, None, show(getattr(y, summary))))
    return out


def _criteria(old: Framework, new: Framework) -> list[Change]:
    @dataclass(frozen=True)
    class Row:
        id: str
        element: str
        name: Text
        weight: float
        description: Text

    def rows(fw: Framework) -> list[Row]:
        return [
            Row(c.id, e.id, c.name, c.weight, c.description)
            for e in fw.elements
            for c in e.criteria
        ]

    return _keyed(
        "criterion",
        rows(old),
        rows(new),
        lambda r: r.id,
        ["element", "name", "weight", "description"],
        "element",
    )


def _certification(old: Certification | None, new: Certification | None) -> list[Change]:
    if old is None and new is None:
        return []
    if old is None or new is None:
        kind: ChangeKind = "added" if old is None else "removed"
        here = new or old
        assert here is not None
        return [
            Change(
                kind,
                "certification",
                "certification",
                "version",
                None if old is None else here.version,
                here.version if old is None else None,
            )
        ]
    out = _fields("certification", "certification", old, new, ["version", "description"])
    a = {lv.level: lv for lv in old.levels}
    b = {lv.level: lv for lv in new.levels}
    for n, lv in a.items():
        if n not in b:
            out.append(Change("removed", "certification", f"level {n}", "", f"level {n}", None))
        else:
            out += _certification_level(lv, b[n])
    for n in b:
        if n not in a:
            out.append(Change("added", "certification", f"level {n}", "", None, f"level {n}"))
    return out


def _certification_level(old: CertificationLevel, new: CertificationLevel) -> list[Change]:
    key = f"level {old.level}"
    scalars = [
        "min_overall_index",
        "min_element_index",
        "min_coverage",
        "min_evidence_share",
        "min_respondents",
        "allow_mostly_not_applicable",
        "external_assessor",
    ]
    out = _fields("certification", key, old, new, scalars)
    for name in ("min_level", "min_items"):
        a_ev = getattr(old.accepted_evidence, name, None)
        b_ev = getattr(new.accepted_evidence, name, None)
        if a_ev != b_ev:
            out.append(_change("certification", key, f"accepted_evidence.{name}", a_ev, b_ev))
    for eid in sorted(set(old.element_minimums) | set(new.element_minimums)):
        a, b = old.element_minimums.get(eid), new.element_minimums.get(eid)
        if a != b:
            out.append(_change("certification", key, f"element_minimums.{eid}", a, b))
    a_crit = {rc.criterion: rc.min_level for rc in old.required_criteria}
    b_crit = {rc.criterion: rc.min_level for rc in new.required_criteria}
    for cid in [*a_crit, *(c for c in b_crit if c not in a_crit)]:
        if a_crit.get(cid) != b_crit.get(cid):
            out.append(
                _change(
                    "certification",
                    key,
                    f"required_criteria.{cid}",
                    a_crit.get(cid),
                    b_crit.get(cid),
                )
            )
    for role in [
        *old.required_roles,
        *(r for r in new.required_roles if r not in old.required_roles),
    ]:
        a_has, b_has = role in old.required_roles, role in new.required_roles
        if a_has != b_has:
            out.append(
                _change(
                    "certification",
                    key,
                    f"required_roles.{role}",
                    role if a_has else None,
                    role if b_has else None,
                )
            )
    return out


def _change(section: str, key: str, field: str, old: Value, new: Value) -> Change:
    kind: ChangeKind = "added" if old is None else "removed" if new is None else "changed"
    return Change(kind, section, key, field, old, new)


def diff_lines(d: FrameworkDiff) -> list[str]:
    """The header and one aligned line per change (the table format)."""
    o, n = d.old, d.new
    counts = {
        k: sum(1 for c in d.changes if c.change == k) for k in ("added", "removed", "changed")
    }
    lines = [
        f"{o['id']} {o['version']} → {n['id']} {n['version']}",
        f"sha256 {o['sha256'][:12]}… → {n['sha256'][:12]}…;"
        f" actions {d.actions[0]} → {d.actions[1]}",
        f"{len(d.changes)} changes: {counts['added']} added, {counts['removed']} removed,"
        f" {counts['changed']} changed",
    ]
    if not d.changes:
        return lines
    rows = [
        (c.change, c.section, c.id, c.field, f"{_cell(c.old)} → {_cell(c.new)}") for c in d.changes
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines.append("")
    for r in rows:
        lines.append("  ".join([*(r[i].ljust(widths[i]) for i in range(4)), r[4]]).rstrip())
    return lines


def diff_markdown(d: FrameworkDiff) -> str:
    head = diff_lines(d)[:3]
    out = [f"# {head[0]}", "", head[1], "", head[2], ""]
    if d.changes:
        out += ["| change | section | id | field | old | new |", "|---|---|---|---|---|---|"]
        for c in d.changes:
            cells = [c.change, c.section, c.id, c.field, _cell(c.old, 0), _cell(c.new, 0)]
            out.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
        out.append("")
    return "\n".join(out)


def _cell(v: Value, limit: int = 60) -> str:
    s = "-" if v is None else f"{v:g}" if isinstance(v, float) else str(v)
    s = " ".join(s.split())
    return s if not limit or len(s) <= limit else s[: limit - 1] + "…"
