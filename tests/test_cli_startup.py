"""`crmm --help` stays instant: heavy libraries load only when a command needs them."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

HEAVY = ("pandas", "numpy", "weasyprint", "jinja2", "pydantic", "yaml", "pypdf", "pyhanko")


def test_help_imports_no_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from assessment.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='crmm')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_python_m_assessment_is_crmm() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "assessment", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "Usage: crmm" in out.stdout and "report" in out.stdout
