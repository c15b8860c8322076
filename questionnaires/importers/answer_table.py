"""Answers as columns: one row per respondent, one coded column per question.

A column stores, per respondent, an index into the column's distinct canonical values (the
values `questionnaires.types.normalize_value` gives; -1 = not answered), so that work per
question is proportional to its distinct answers, not to the number of respondents.
Comments and evidence are sparse: only the cells that have them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from questionnaires.model import Questionnaire


def value_key(value: Any) -> Hashable:
    """A hashable key telling canonical values apart (lists as tuples, types kept)."""
    if isinstance(value, list):
        return ("list", tuple(value))
    return (type(value).__name__, value)


@dataclass
class AnswerColumn:
    """One question's answers: `codes[i]` indexes `uniques` for respondent i (-1: none)."""

    codes: np.ndarray
    uniques: list[Any]

    @classmethod
    def from_values(cls, values: Sequence[Any], missing: Any = None) -> AnswerColumn:
        """A column from one canonical value (or `missing`) per respondent; an empty list
        (a multiple choice with nothing chosen) is not an answer either."""
        import numpy as np

        index: dict[Hashable, int] = {}
        uniques: list[Any] = []
        codes = np.full(len(values), -1, dtype=np.int32)
        for i, v in enumerate(values):
            if v is missing or (isinstance(v, list) and not v):
                continue
            k = value_key(v)
            code = index.get(k)
            if code is None:
                code = index[k] = len(uniques)
                uniques.append(v)
            codes[i] = code
        return cls(codes, uniques)

    def answered(self) -> np.ndarray:
        return self.codes >= 0

    def value(self, i: int) -> Any:
        """Respondent i's value, None when not answered."""
        c = int(self.codes[i])
        return None if c < 0 else self.uniques[c]


@dataclass
class AnswerTable:
    """Respondents (ids, roles, departments, metadata) and their answers, as columns.

    `columns` are in the order answers are listed per respondent; `metadata` has one row per
    respondent ("" where a field is empty); `comments` and `evidence` are keyed by
    (respondent position, question id).
    """

    ids: list[str]
    roles: list[str]
    departments: list[str | None]
    columns: dict[str, AnswerColumn] = field(default_factory=dict)
    metadata: pd.DataFrame | None = None
    comments: dict[tuple[int, str], str] = field(default_factory=dict)
    evidence: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    names: list[str | None] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def values(self) -> pd.DataFrame:
        """Respondent × question frame of canonical values (None: not answered)."""
        import numpy as np
        import pandas as pd

        data = {}
        for qid, col in self.columns.items():
            pool = np.empty(len(col.uniques) + 1, dtype=object)  # all None
            for i, v in enumerate(col.uniques):  # one by one: lists stay lists
                pool[i] = v
            data[qid] = pool[col.codes]  # code -1 takes the trailing None
        return pd.DataFrame(data, index=pd.Index(self.ids, name="respondent"), dtype=object)

    def metadata_of(self, i: int) -> dict[str, str]:
        if self.metadata is None:
            return {}
        out: dict[str, str] = {}
        for label, value in zip(self.metadata.columns, self.metadata.iloc[i], strict=True):
            if value:
                out[str(label)] = str(value)
        return out

    def respondent(self, i: int) -> dict[str, Any]:
        """Respondent i in the responses-file shape (see `base.ImportedAnswers`)."""
        resp: dict[str, Any] = {"id": self.ids[i], "role": self.roles[i]}
        if self.departments[i] is not None:
            resp["department"] = self.departments[i]
        if self.names is not None and self.names[i] is not None:
            resp["name"] = self.names[i]
        answers: dict[str, Any] = {}
        for qid, col in self.columns.items():
            c = int(col.codes[i])
            if c < 0:
                continue
            value = col.uniques[c]  # a list is shared by every respondent who chose it
            entry: dict[str, Any] = {"value": list(value) if isinstance(value, list) else value}
            if (note := self.comments.get((i, qid))) is not None:
                entry["comment"] = note
            if refs := self.evidence.get((i, qid)):
                entry["evidence"] = list(refs)
            answers[qid] = entry
        resp["answers"] = answers
        if meta := self.metadata_of(i):
            resp["metadata"] = meta
        return resp

    def respondents(self) -> list[dict[str, Any]]:
        return [self.respondent(i) for i in range(len(self))]

    def drop_unasked(self, q: Questionnaire) -> dict[str, int]:
        """Clear every answer (with its comment and evidence) from a respondent whose role
        the question is not asked of; return how many per question id."""
        import numpy as np

        roles = np.asarray(self.roles, dtype=object)
        dropped: dict[str, int] = {}
        for qid, col in self.columns.items():
            question = q.question_by_id.get(qid)
            if question is None or not question.roles:
                continue
            unasked = (col.codes >= 0) & ~np.isin(roles, question.roles)
            if not unasked.any():
                continue
            dropped[qid] = int(unasked.sum())
            col.codes = np.where(unasked, -1, col.codes).astype(col.codes.dtype)
            for i in np.flatnonzero(unasked).tolist():
                self.comments.pop((i, qid), None)
                self.evidence.pop((i, qid), None)
        self.columns = {k: c for k, c in self.columns.items() if bool((c.codes >= 0).any())}
        return dropped

    def answered_questions(self) -> set[str]:
        return {qid for qid, col in self.columns.items() if bool((col.codes >= 0).any())}

    @classmethod
    def from_respondents(
        cls, respondents: Iterable[Mapping[str, Any]], order: Sequence[str] = ()
    ) -> AnswerTable:
        """A table from respondents in the responses-file shape (answers as {"value", ...}
        mappings or plain values). Columns follow `order`, then first appearance."""
        people = list(respondents)
        qids: dict[str, None] = dict.fromkeys(order)
        for p in people:
            qids.update(dict.fromkeys(p.get("answers", {})))
        values: dict[str, list[Any]] = {qid: [None] * len(people) for qid in qids}
        comments: dict[tuple[int, str], str] = {}
        evidence: dict[tuple[int, str], list[str]] = {}
        meta_rows: list[dict[str, str]] = []
        for i, p in enumerate(people):
            for qid, a in p.get("answers", {}).items():
                entry = a if isinstance(a, Mapping) else {"value": a}
                values[qid][i] = entry.get("value")
                if entry.get("comment") is not None:
                    comments[(i, qid)] = entry["comment"]
                if entry.get("evidence"):
                    evidence[(i, qid)] = list(entry["evidence"])
            meta_rows.append(dict(p.get("metadata") or {}))
        columns = {qid: AnswerColumn.from_values(v) for qid, v in values.items()}
        columns = {k: c for k, c in columns.items() if c.uniques}
        metadata = None
        if any(meta_rows):
            import pandas as pd

            metadata = pd.DataFrame(meta_rows, dtype=object).fillna("")
        return cls(
            ids=[str(p["id"]) for p in people],
            roles=[str(p.get("role", "")) for p in people],
            departments=[p.get("department") for p in people],
            columns=columns,
            metadata=metadata,
            comments=comments,
            evidence=evidence,
            names=[p.get("name") for p in people] if any(p.get("name") for p in people) else None,
        )
