"""`--lang` has one default for every command: CRMM_LANG, else the user's locale."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assessment.cli import cli
from frameworks.langs import default_lang

from .conftest import MINI, mini_args

NO_LOCALE = {"CRMM_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-CN"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": ""}, "zh-CN"),
        ({"LANG": "zh_CN.UTF-8", "CRMM_LANG": "en"}, "en"),
        ({"LANG": "en_US.UTF-8", "CRMM_LANG": "zh-CN"}, "zh-CN"),
        ({"CRMM_LANG": "zh_CN"}, "zh-CN"),
    ],
)
def test_default_language_from_environment(env: dict[str, str], lang: str) -> None:
    assert default_lang(env) == lang


def score_table(env: dict[str, str | None], *extra: str) -> str:
    args = ["score", str(MINI / "responses.yaml"), *mini_args(list(extra))]
    res = CliRunner().invoke(cli, args, env={**NO_LOCALE, **env})
    assert res.exit_code == 0, res.output
    return res.output


def template(env: dict[str, str | None]) -> str:
    res = CliRunner().invoke(cli, ["template", "quick-check"], env={**NO_LOCALE, **env})
    assert res.exit_code == 0, res.output
    return res.output


def test_every_command_defaults_to_the_locale() -> None:
    # score used to default to English and template to Chinese, whatever the user spoke
    assert "要素" in score_table({"LANG": "zh_CN.UTF-8"})
    assert "element  weight" in score_table({"LANG": "en_US.UTF-8"})
    assert "Write each answer" in template({"LANG": "en_US.UTF-8"})
    assert "Write each answer" not in template({"LANG": "zh_CN.UTF-8"})


def test_crmm_lang_overrides_the_locale_and_lang_overrides_both() -> None:
    assert "element  weight" in score_table({"LANG": "zh_CN.UTF-8", "CRMM_LANG": "en"})
    assert "要素" in score_table({"LANG": "en_US.UTF-8", "CRMM_LANG": "zh-CN"})
    assert "element  weight" in score_table({"CRMM_LANG": "zh-CN"}, "--lang", "en")


def test_unknown_crmm_lang_is_a_usage_error() -> None:
    res = CliRunner().invoke(cli, ["template", "quick-check"], env={"CRMM_LANG": "fr"})
    assert res.exit_code == 2
    assert res.output == "CRMM_LANG: 'fr' is not a language crmm has (expected zh-CN or en)\n"
