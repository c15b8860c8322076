"""Writing the respondents of a large import as YAML quickly.

PyYAML's emitter spends about 10 µs per scalar: 8 million answers would take minutes. Here
every distinct value of a column is written once (a plain scalar when that is unambiguous,
else a JSON string, which YAML reads as a double-quoted scalar) and each respondent's block
is joined from those pieces. The result loads (with frameworks.fileio) to the same data as
`yaml.safe_dump` of the respondents would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from .answer_table import AnswerTable

_PLAIN = re.compile(r"^[^\W\d_][\w.-]*$")  # a letter, then letters, digits, _ . -
# characters a YAML file may not hold as they are (PyYAML's reader refuses them): escaped
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# YAML 1.1 booleans and null (compared in lower case)
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])


def scalar(value: Any) -> str:
    """One value as a YAML flow scalar (or a flow sequence for a list)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value).lower()  # as PyYAML writes floats
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)
        return text
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return escaped(json.dumps(text, ensure_ascii=False))


def escaped(text: str) -> str:
    """`text` with every character YAML cannot hold as it is (C1 controls, line separators,
    lone surrogates) written as a \\uXXXX escape: safe in a double-quoted scalar, a comment
    or a terminal line."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def respondent_blocks(
    table: AnswerTable, every: int = 2000, progress: Callable[[str, int, int], None] | None = None
) -> Iterator[str]:
    """The `respondents:` list of a responses file, in pieces of `every` respondents."""
    import numpy as np

    n = len(table)
    lines = []  # per column: the line of each distinct value, "" for no answer
    for qid, col in table.columns.items():
        key = scalar(qid)
        pool = [f"    {key}: {scalar(v)}\n" for v in col.uniques] + [""]
        lines.append(np.array(pool, dtype=object)[col.codes])
    meta_lines = []
    if table.metadata is not None:
        for label in table.metadata.columns:
            values = table.metadata[label].astype(object).to_numpy()
            key = scalar(str(label))
            distinct = {v: f"    {key}: {scalar(v)}\n" if v else "" for v in set(values)}
            meta_lines.append(np.array([distinct[v] for v in values], dtype=object))
    grid = np.stack(lines, axis=1) if lines else np.empty((n, 0), dtype=object)
    meta = np.stack(meta_lines, axis=1) if meta_lines else np.empty((n, 0), dtype=object)
    noted = bool(table.comments or table.evidence)
    yield "respondents:\n"
    for start in range(0, n, every):
        out = []
        for i in range(start, min(n, start + every)):
            head = f"- id: {scalar(table.ids[i])}\n  role: {scalar(table.roles[i])}\n"
            if table.departments[i] is not None:
                head += f"  department: {scalar(table.departments[i])}\n"
            if table.names is not None and table.names[i] is not None:
                head += f"  name: {scalar(table.names[i])}\n"
            body = "".join(grid[i].tolist())
            if noted:
                body = _with_notes(table, i)
            out.append(head + ("  answers:\n" + body if body else "  answers: {}\n"))
            if meta.shape[1] and (extra := "".join(meta[i].tolist())):
                out.append("  metadata:\n" + extra)
        yield "".join(out)
        if progress is not None:
            progress("writing", min(n, start + every), n)


def _with_notes(table: AnswerTable, i: int) -> str:
    """Respondent i's answers, those with a comment or evidence as flow mappings."""
    out = []
    for qid, col in table.columns.items():
        c = int(col.codes[i])
        if c < 0:
            continue
        value = scalar(col.uniques[c])
        parts = []
        if (note := table.comments.get((i, qid))) is not None:
            parts.append(f"comment: {scalar(note)}")
        if refs := table.evidence.get((i, qid)):
            parts.append(f"evidence: [{', '.join(scalar(r) for r in refs)}]")
        if parts:
            value = "{value: " + value + ", " + ", ".join(parts) + "}"
        out.append(f"    {scalar(qid)}: {value}\n")
    return "".join(out)
