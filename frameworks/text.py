"""Texts in the product languages (zh-CN, en): a framework declares which of them it has."""

from __future__ import annotations

import re
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from .langs import LANGS, Lang

__all__ = ["LANGS", "Lang", "Text", "zh_typography"]

# ASCII punctuation → its full-width form, used next to Chinese characters.
_FULL = {
    ",": "\uff0c",
    ";": "\uff1b",
    ":": "\uff1a",
    "?": "\uff1f",
    "!": "\uff01",
    "(": "\uff08",
    ")": "\uff09",
}
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u201c\u201d]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_GAP = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]) "
    r"(?=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef])"
)
_QUOTED = re.compile(r'"([^"\n]*)"')


def _is_cjk(ch: str) -> bool:
    return bool(ch) and _CJK.match(ch) is not None


def zh_typography(text: str) -> str:
    """Full-width punctuation and quotation marks where ASCII ones touch Chinese text.

    `得分 0–100;评估` → `得分 0–100；评估`, `CRM(客户关系管理)` → `CRM（客户关系管理）`;
    ASCII between ASCII characters (`http://x`, `1:2`, `a, b`) is left alone, and the space a
    YAML folded scalar leaves between two Chinese characters is removed.
    """
    text = _GAP.sub("", text)
    text = _QUOTED.sub(
        lambda m: (
            f"\u201c{m.group(1)}\u201d"
            if _HAN.search(m.group(1)) or _HAN.match(text[m.start() - 1 : m.start()] or " ")
            else m.group(0)
        ),
        text,
    )
    out: list[str] = []
    opened: list[bool] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        prev = out[-1] if out else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if ch == "(":
            full = _is_cjk(prev) or _HAN.match(nxt or " ") is not None
            opened.append(full)
            if full and prev == " ":
                out.pop()
            out.append(_FULL[ch] if full else ch)
        elif ch == ")":
            full = opened.pop() if opened else _is_cjk(prev)
            out.append(_FULL[ch] if full else ch)
            if full and nxt == " ":
                i += 1
        elif ch in ",;:?!" and (_is_cjk(prev) or _HAN.match(nxt or " ")) and nxt != "/":
            out.append(_FULL[ch])
            if nxt == " ":
                i += 1
        else:
            out.append(ch)
        i += 1
    return _GAP.sub("", "".join(out))


class Text(BaseModel):
    """A text in the languages its framework declares (zh-CN, en or both; at least one).

    Which languages a text must have is checked against its framework (frameworks/languages.py);
    a language it lacks is never asked for, since reports are made only in the framework's
    languages. A missing language is left out when the text is written out again.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    zh: str | None = Field(default=None, alias="zh-CN", min_length=1)
    en: str | None = Field(default=None, min_length=1)

    @field_validator("zh")
    @classmethod
    def _typeset(cls, v: str | None) -> str | None:
        return None if v is None else zh_typography(v)

    @model_validator(mode="after")
    def _some_language(self) -> Text:
        if self.zh is None and self.en is None:
            raise ValueError(f"a text needs at least one language ({', '.join(LANGS)})")
        return self

    @model_serializer(mode="wrap")
    def _present_only(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        return {k: v for k, v in data.items() if v is not None}

    @property
    def languages(self) -> tuple[Lang, ...]:
        """The languages this text is written in, in LANGS order."""
        return tuple(lang for lang in LANGS if self.has(lang))

    def has(self, lang: Lang) -> bool:
        return (self.zh if lang == "zh-CN" else self.en) is not None

    def get(self, lang: Lang) -> str:
        """The text in `lang`; a text lacking `lang` (never asked for by a report, which is
        made only in its framework's languages) gives the language it has."""
        first = self.zh if lang == "zh-CN" else self.en
        second = self.en if lang == "zh-CN" else self.zh
        return first if first is not None else second or ""

    def texts(self) -> tuple[str, ...]:
        """Every language's text (for matching what a person typed, in any language)."""
        return tuple(t for t in (self.zh, self.en) if t is not None)

    def __str__(self) -> str:
        return self.get("en")
