"""Every Python package in the source tree is picked up for installation."""

from __future__ import annotations

import tomllib

from setuptools import find_packages

from .conftest import ROOT

TOP = ("frameworks", "questionnaires", "assessment", "reports")


def test_every_package_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    installed = set(find_packages(where=str(ROOT), include=include))
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in TOP
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found == installed
    assert not any(p.startswith(("tests", "benchmarks", "scripts")) for p in installed)
