"""The product's languages, without the models (all that `crmm --help` needs of them), and
the language a command uses when `--lang` is not given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Lang = Literal["zh-CN", "en"]
LANGS: tuple[Lang, ...] = ("zh-CN", "en")

LANG_ENV = "CRMM_LANG"  # overrides the locale: zh-CN or en
LOCALE_ENV = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order: the first one set decides


class LangSettingError(ValueError):
    """CRMM_LANG names a language crmm does not have."""


def lang_from_locale(env: Mapping[str, str]) -> Lang:
    """The user's locale as a product language: the first of LC_ALL, LC_MESSAGES and LANG
    that is set and not empty; a Chinese locale (zh, zh_CN.UTF-8, zh_TW…) gives zh-CN,
    anything else (en_US, C, POSIX, none) gives en."""
    for name in LOCALE_ENV:
        value = env.get(name, "").strip()
        if value:
            return "zh-CN" if value.lower().startswith("zh") else "en"
    return "en"


def default_lang(env: Mapping[str, str]) -> Lang:
    """The language of every command without `--lang`: CRMM_LANG if set (zh-CN or en, any
    case; `zh` and `zh_CN` are read as zh-CN), else the user's locale (`lang_from_locale`)."""
    value = env.get(LANG_ENV, "").strip()
    if not value:
        return lang_from_locale(env)
    low = value.lower().replace("_", "-")
    if low in ("zh", "zh-cn") or low.startswith("zh-cn."):
        return "zh-CN"
    if low == "en" or low.startswith(("en-", "en.")):
        return "en"
    raise LangSettingError(f"{value!r} is not a language crmm has (expected {' or '.join(LANGS)})")
