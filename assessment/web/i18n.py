"""The web pages' own texts in zh-CN and en (labels.yaml) and the language of a request:
`?lang=` (remembered in the session), else the browser's Accept-Language, else zh-CN."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from flask import g, request, session

from frameworks.langs import LANGS, Lang
from frameworks.text import Text


@cache
def labels() -> dict[str, dict[str, str]]:
    from frameworks.fileio import load_data

    # the loader of crmm's files: a key given twice (two blocks merged) is an error, not a
    # silent override
    data = load_data(Path(__file__).with_name("labels.yaml"))
    for key, texts in data.items():
        if set(texts) != {"zh", "en"}:
            raise ValueError(f"labels.yaml: {key}: needs zh and en")
    return dict(data)


def request_lang(allowed: list[str] | None = None) -> Lang:
    """The language for this request among `allowed` (default: both)."""
    allowed = [x for x in (allowed or list(LANGS)) if x in LANGS] or list(LANGS)
    asked = request.args.get("lang")
    if asked in allowed:
        session["lang"] = asked
        return asked  # type: ignore[return-value]
    kept = session.get("lang")
    if kept in allowed:
        return kept  # type: ignore[no-any-return]
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
    if best is not None:
        wanted = "zh-CN" if best.startswith("zh") else "en"
        if wanted in allowed:
            return wanted  # type: ignore[return-value]
    return allowed[0]  # type: ignore[return-value]


def lang() -> Lang:
    """The request's language (set by the blueprint's before_request), zh-CN if unset."""
    return g.get("lang", "zh-CN")  # type: ignore[no-any-return]


def t(key: str, **fmt: Any) -> str:
    """A page text in the request's language, its {placeholders} filled in."""
    text = labels()[key]["zh" if lang() == "zh-CN" else "en"]
    return text.format(**fmt) if fmt else text


def tx(text: Text | None) -> str:
    """A framework or questionnaire text in the request's language."""
    return "" if text is None else text.get(lang())
