"""Loaders: the built-in content is complete and cross-checked; any input fails cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks.errors import InputError
from frameworks.fileio import parse_data
from frameworks.loader import load_framework
from questionnaires.loader import load_questionnaire
from questionnaires.model import QUESTION_TYPES

from .conftest import MINI, load_yaml

SEVEN = [
    "leadership",
    "strategy",
    "organization",
    "resources",
    "technology",
    "operations",
    "outcomes",
]
SEEDS = (
    "000_2e91a39b8be099b3.txt",
    "001_5cf52c998b78499f.txt",
    "002_8ead4e98e8b3d527.txt",
    "003_ebb708a0bfd38302.txt",
    "004_ade028549fd15cde.txt",
)
PUBLIC = ("QCi CMAT", "Gartner", "Baldrige", "EFQM", "ISO")


def test_builtin_framework_shape() -> None:
    fw = load_framework("crm-maturity")
    assert (fw.id, fw.version) == ("crm-maturity", "1.1.0")
    assert [e.id for e in fw.elements] == SEVEN
    assert all(len(e.criteria) >= 4 for e in fw.elements)
    assert len(fw.criteria) >= 30
    assert [p.order for p in fw.phases] == [1, 2, 3, 4, 5, 6]
    for c in fw.criteria.values():
        assert any(any(s in src for s in (*SEEDS, *PUBLIC)) for src in c.source), c.id
        levels = {a.level for a in fw.actions if a.criterion == c.id}
        assert levels >= {2, 3, 4, 5}, (c.id, levels)
    assert {a.effort for a in fw.actions} == {"quick-win", "medium", "long-term"}


def test_builtin_questionnaires() -> None:
    full, fw = load_questionnaire("full-audit")
    assert len(full.questions) >= 60
    covered = {q.criterion for q in full.questions if q.scored}
    assert covered == set(fw.criteria)
    assert {q.type for q in full.questions} == set(QUESTION_TYPES)
    quick, _ = load_questionnaire("quick-check")
    assert len(quick.questions) <= 20 and quick.estimated_minutes <= 10
    assert {fw.element_of[q.criterion].id for q in quick.questions} == set(SEVEN)


def test_full_audit_asks_each_criterions_intention_first_then_reality() -> None:
    """Issue 14 §1: the full audit's first question on every criterion asks its intention,
    of leadership, on the framework's intention anchors for that criterion (id: the next
    question's id + "i"); the criterion's other questions measure reality, the default; the
    two dimensions' anchors say different things at every level."""
    full, fw = load_questionnaire("full-audit")
    assert fw.dimensions is not None and fw.dimensions.default == "reality"
    for cid, c in fw.criteria.items():
        first, *rest = [q for q in full.questions if q.criterion == cid]
        assert (first.type, first.dimension) == ("anchored", "intention"), cid
        assert rest and first.id == f"{rest[0].id}i" and "leadership" in first.roles, cid
        assert c.anchors is not None and first.anchors == c.anchors.intention, cid
        assert all(q.dimension in (None, "reality") for q in rest), cid
        for i, r in zip(c.anchors.intention, c.anchors.reality, strict=True):
            assert i.zh != r.zh and i.en != r.en, cid


def test_builtin_text_is_bilingual_and_distinct() -> None:
    fw = load_framework("crm-maturity")
    for c in fw.criteria.values():
        assert c.name.zh != c.name.en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in c.description.zh), c.id
    for a in fw.actions:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in a.text.zh), a.id


def test_framework_by_directory_and_custom_copy(tmp_path: Path) -> None:
    """A consultant copies the built-in framework, changes a weight, and uses it."""
    import shutil

    from frameworks.loader import builtin_dir

    copy = tmp_path / "my-framework"
    shutil.copytree(builtin_dir() / "crm-maturity", copy)
    head = copy / "framework.yaml"
    text = head.read_text("utf-8").replace("id: crm-maturity", "id: my-crm", 1)
    head.write_text(text, "utf-8")
    fw = load_framework(copy)
    assert fw.id == "my-crm" and len(fw.elements) == 7
    (copy / "elements" / "outcomes.yaml").write_text("type: element\nid: outcomes\n", "utf-8")
    with pytest.raises(InputError) as exc:
        load_framework(copy / "framework.yaml")
    assert any(p.file.endswith("outcomes.yaml") and p.path == "name" for p in exc.value.problems)


def test_yaml_booleans_stay_strings() -> None:
    assert parse_data(b"a: yes\nb: no\nc: on\nd: true\n", "x") == {
        "a": "yes",
        "b": "no",
        "c": "on",
        "d": True,
    }


def _mutations() -> st.SearchStrategy[tuple[list[str | int], Any]]:
    values = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 10),
        st.floats(allow_nan=True),
        st.text(max_size=8),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    )
    return st.tuples(
        st.lists(
            st.one_of(
                st.integers(0, 8),
                st.sampled_from(
                    [
                        "elements",
                        "criteria",
                        "levels",
                        "weight",
                        "id",
                        "name",
                        "actions",
                        "questions",
                        "options",
                        "kpi",
                        "thresholds",
                        "zh-CN",
                        "en",
                        "type",
                        "anchors",
                        "min_index",
                    ]
                ),
            ),
            min_size=1,
            max_size=5,
        ),
        values,
    )


def _mutate(data: Any, path: list[str | int], value: Any) -> Any:
    node = data
    for i, key in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, dict):
            k = key if isinstance(key, str) else (sorted(node)[key % len(node)] if node else "x")
            if last or k not in node:
                node[k] = value
                return data
            node = node[k]
        elif isinstance(node, list) and node:
            j = key if isinstance(key, int) else 0
            j %= len(node)
            if last:
                node[j] = value
                return data
            node = node[j]
        else:
            return data
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mut=_mutations(), which=st.sampled_from(["framework.yaml", "questionnaire.yaml"]))
def test_mutated_content_loads_or_fails_cleanly(
    tmp_path_factory: pytest.TempPathFactory, mut: tuple[list[str | int], Any], which: str
) -> None:
    d = tmp_path_factory.mktemp("m")
    fw, q = load_yaml(MINI / "framework.yaml"), load_yaml(MINI / "questionnaire.yaml")
    target = fw if which == "framework.yaml" else q
    _mutate(target, *mut)
    (d / "framework.yaml").write_text(yaml.safe_dump(fw, allow_unicode=True), "utf-8")
    (d / "questionnaire.yaml").write_text(yaml.safe_dump(q, allow_unicode=True), "utf-8")
    try:
        load_questionnaire(d / "questionnaire.yaml", d / "framework.yaml")
    except InputError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file.endswith(".yaml") and p.message
