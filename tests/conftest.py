from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from frameworks.fileio import parse_data

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "examples" / "mini"


@pytest.fixture(autouse=True)
def _user_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands without `--lang` use the user's language (CRMM_LANG, else the locale): the
    tests run as a zh-CN user, whatever the machine's locale; a test module or test that
    needs another sets CRMM_LANG (or the locale) itself."""
    monkeypatch.setenv("CRMM_LANG", "zh-CN")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def mini() -> Path:
    return MINI


@pytest.fixture
def mini_responses() -> dict[str, Any]:
    return load_yaml(MINI / "responses.yaml")


def load_yaml(path: Path) -> Any:
    """Load test data the way crmm does (YAML 1.2 booleans: `yes` stays a string)."""
    return copy.deepcopy(parse_data(path.read_bytes(), path))


def mini_args(extra: list[str] | None = None) -> list[str]:
    return [
        "--questionnaire",
        str(MINI / "questionnaire.yaml"),
        "--framework",
        str(MINI / "framework.yaml"),
        *(extra or []),
    ]


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _reader(pdf: bytes | Path) -> PdfReader:
    import io

    return PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)


def pdf_text(pdf: bytes | Path) -> str:
    """All text pypdf extracts from a PDF."""
    return "\n".join(page.extract_text() or "" for page in _reader(pdf).pages)


def embedded_fonts(pdf: bytes | Path) -> set[str]:
    """Base names of the fonts whose programs are embedded in a PDF."""
    names = set()
    for page in _reader(pdf).pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            desc = font.get("/DescendantFonts")
            target = desc[0].get_object() if desc else font
            fd = target.get("/FontDescriptor")
            if fd and any(k in fd.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]))
    return names


def spy_on_fetches(mp: pytest.MonkeyPatch) -> list[str]:
    """Every URL the report renderer asks for from now on (it still gets what it asked for)."""
    from reports import resources

    asked: list[str] = []
    real = resources.fetch_resource

    def spy(url: str) -> tuple[bytes, str]:
        asked.append(url)
        return real(url)

    mp.setattr(resources, "fetch_resource", spy)
    return asked
