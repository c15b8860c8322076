"""The report's fixed strings: `static/labels.yaml`, checked to hold both languages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from frameworks.fileio import parse_data
from frameworks.plurals import plural_form
from frameworks.text import LANGS, Lang, zh_typography

LABELS_FILE = "labels.yaml"


class LabelError(ValueError):
    """The label catalogue is malformed, or a report asked for a label it lacks."""


class Labels(Mapping[str, str]):
    """The labels of one language; a missing key raises a LabelError naming it."""

    def __init__(self, lang: Lang, table: Mapping[str, str]) -> None:
        self.lang = lang
        self._table = table

    def __getitem__(self, key: str) -> str:
        try:
            return self._table[key]
        except KeyError:
            raise LabelError(f"no label {key!r} in {LABELS_FILE}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def fill(self, key: str, **values: object) -> str:
        """The label with its `{name}` placeholders filled in."""
        return self[key].format(**values)

    def plural(self, key: str, n: int, **values: object) -> str:
        """The label `key.one`, `key.other` (…) that CLDR's plural rules pick for `n` in this
        language (Babel: `1 action`, `3 actions`; Chinese has one form, `other`), filled in
        with `n` and `values`."""
        form = plural_form(self.lang, n)
        chosen = f"{key}.{form}" if f"{key}.{form}" in self._table else f"{key}.other"
        return self.fill(chosen, n=n, **values)

    def optional(self, key: str, default: str) -> str:
        """The label if the catalogue has one, else `default` (for open-ended ids)."""
        return self._table.get(key, default)


def check_catalogue(data: Any) -> dict[str, dict[Lang, str]]:
    """Every key maps each language to a non-empty string, and nothing else."""
    if not isinstance(data, dict):
        raise LabelError(f"{LABELS_FILE}: expected a mapping at the top level")
    out: dict[str, dict[Lang, str]] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise LabelError(f"{LABELS_FILE}: key {key!r} is not a string")
        if not isinstance(value, dict) or set(value) != set(LANGS):
            raise LabelError(f"{LABELS_FILE}: {key}: needs exactly {' and '.join(LANGS)}")
        for lang in LANGS:
            text = value[lang]
            if not isinstance(text, str) or not text.strip():
                raise LabelError(f"{LABELS_FILE}: {key}.{lang}: expected a non-empty string")
        out[key] = {lang: value[lang] for lang in LANGS}
    return out


@cache
def catalogue() -> dict[str, dict[Lang, str]]:
    """The checked catalogue, read once."""
    data = (resources.files("reports") / "static" / LABELS_FILE).read_bytes()
    return check_catalogue(parse_data(data, LABELS_FILE))


@cache
def labels(lang: Lang) -> Labels:
    """The labels of one language."""
    if lang not in LANGS:
        raise LabelError(f"unknown language {lang!r} (expected {', '.join(LANGS)})")
    if lang == "zh-CN":
        return Labels(lang, {k: zh_typography(v[lang]) for k, v in catalogue().items()})
    return Labels(lang, {k: v[lang] for k, v in catalogue().items()})
