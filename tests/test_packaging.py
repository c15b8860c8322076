"""Every Python package in the source tree is listed for installation."""

from __future__ import annotations

import tomllib

from .conftest import ROOT

TOP = ("frameworks", "questionnaires", "assessment", "reports")


def test_every_package_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in TOP
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found == listed
