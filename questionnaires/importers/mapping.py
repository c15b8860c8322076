"""The mapping file of `crmm import --mapping`: which export column is which question, what
export texts mean, and which columns hold the respondent id, role and department.

```yaml
columns:                      # export heading -> question id (null: ignore the column)
  "Q7_1": qc-01
  "3、客户信息如何保存": qc-09
  "6(历史价值)": "fa-strat-06#historical"   # one column per option: question#option
  "Browser": null
values:                       # per question (or "*" for all): export text -> answer value
  qc-04: {"基本做到": partly}
  "*": {"不清楚": na}
roles: {"总经理": leadership}  # role texts -> role ids (role names and ids work anyway)
id_column: "编号"
role_column: "您的岗位"
department_column: "部门"
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from frameworks.errors import InputError
from frameworks.fileio import load_data, validate_as
from frameworks.model import Strict

Scalar = str | int | float | bool | None


class Mapping(Strict):
    """A validated mapping file."""

    columns: dict[str, str | None] = Field(default_factory=dict)
    values: dict[str, dict[str, Scalar | list[str]]] = Field(default_factory=dict)
    roles: dict[str, str] = Field(default_factory=dict)
    id_column: str | None = None
    role_column: str | None = None
    department_column: str | None = None


def check_mapping(data: dict[str, Any] | None, source: str = "--mapping") -> dict[str, Any]:
    """The mapping as plain data, validated (an empty mapping when there is none)."""
    if not data:
        return {}
    return validate_as(Mapping, data, source).model_dump()


def load_mapping(path: Path) -> dict[str, Any]:
    """Read and validate a mapping file (YAML or JSON)."""
    data = load_data(path)
    if not isinstance(data, dict):
        raise InputError.one(path, "", "expected a mapping at the top level")
    check_mapping(data, str(path))
    return data
