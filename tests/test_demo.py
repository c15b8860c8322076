"""`crmm demo` writes answers, a result and two PDFs whose text extracts in both languages."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment import demo
from assessment.cli import cli
from assessment.demo_audit import REPORTS, audit_texts, load_demo_audit, write_audit_report
from frameworks.loader import load_framework
from frameworks.text import Lang

from .conftest import ROOT, embedded_fonts
from .conftest import pdf_text as _pdf_text

pytestmark = pytest.mark.slow  # end to end: run in CI, skip locally with -m 'not slow'


@cache
def pdf_text(pdf: Path) -> str:
    """The demo PDFs' text, extracted once per file (57 pages take pypdf a few seconds)."""
    return _pdf_text(pdf)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    res = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_demo_writes_everything(demo_dir: Path) -> None:
    names = sorted(p.name for p in demo_dir.iterdir())
    assert names == [
        "demo-audit-deck-en.pptx",
        "demo-audit-deck-zh-CN.pptx",
        "demo-audit-report-en.docx",
        "demo-audit-report-en.pdf",
        "demo-audit-report-zh-CN.docx",
        "demo-audit-report-zh-CN.pdf",
        "demo-audit-responses-en.yaml",
        "demo-audit-responses-zh-CN.yaml",
        "demo-audit-result-en.json",
        "demo-audit-result-zh-CN.json",
        "demo-report-en.pdf",
        "demo-report-zh-CN.pdf",
        "demo-responses-en.yaml",
        "demo-responses-zh-CN.yaml",
        "demo-result-en.json",
        "demo-result-zh-CN.json",
    ]
    result = json.loads((demo_dir / "demo-result-en.json").read_text("utf-8"))
    assert len(result["respondents"]) >= 4
    assert sum(r["not_applicable"] for r in result["respondents"]) > 0
    assert any((q["std"] or 0) > 0 for q in result["questions"])
    assert result["overall"]["level"] in (2, 3)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_demo_is_reproducible(demo_dir: Path, tmp_path: Path, lang: Lang) -> None:
    """The files `crmm demo` wrote are made again byte for byte (in-process: no PDFs)."""
    text, result = demo.demo_texts(tmp_path / f"demo-responses-{lang}.yaml", lang)
    assert text.encode() == (demo_dir / f"demo-responses-{lang}.yaml").read_bytes()
    assert result.encode() == (demo_dir / f"demo-result-{lang}.json").read_bytes()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", ["客户服务中心", "热线识别不了金卡会员", "会员数据字典 v3.xlsx"]),
        ("en", ["Customer service centre", "cannot recognise gold", "Member data dictionary v3"]),
    ],
)
def test_demo_report_is_made_from_its_own_language_file(
    demo_dir: Path, lang: Lang, said: list[str]
) -> None:
    """Each report embeds the responses file of its language and prints its words: the
    respondents' department, a comment and a document named as evidence."""
    sha = hashlib.sha256((demo_dir / f"demo-responses-{lang}.yaml").read_bytes()).hexdigest()
    result = json.loads((demo_dir / f"demo-result-{lang}.json").read_text("utf-8"))
    assert result["responses"] == {"file": f"demo-responses-{lang}.yaml", "sha256": sha}
    text = pdf_text(demo_dir / f"demo-report-{lang}.pdf")
    flat = " ".join(text.split())
    assert sha in text.replace("\n", "")
    for words in said:
        assert words in flat or words.replace(" ", "") in flat.replace(" ", ""), words


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_demo_pdf_text_and_fonts(demo_dir: Path, lang: Lang) -> None:
    pdf = demo_dir / f"demo-report-{lang}.pdf"
    text = pdf_text(pdf)
    fw = load_framework("crm-maturity")
    for element in fw.elements:
        assert element.name.get(lang) in text  # type: ignore[arg-type]
    assert demo.demo_written().organization.get(lang) in " ".join(text.split())
    assert f"{fw.id} {fw.version}" in text or fw.version in text
    if lang == "zh-CN":
        assert "成熟度" in text and "改进建议" in text
    fonts = embedded_fonts(pdf)
    assert fonts and all("+" in f for f in fonts)  # embedded as subsets
    assert {f.split("+", 1)[1] for f in fonts} <= {"Noto-Sans-SC", "Noto-Sans-SC-Bold"}, (
        "a character outside the bundled font fell back to a system font"
    )


@pytest.mark.parametrize(
    ("lang", "marker", "verdict"),
    [
        ("en", "Self-assessment — not an external certification", "Certification level awarded"),
        ("zh-CN", "自评，并非外部认证", "授予认证等级"),
    ],
)
def test_demo_certification_page(demo_dir: Path, lang: str, marker: str, verdict: str) -> None:
    result = json.loads((demo_dir / f"demo-result-{lang}.json").read_text("utf-8"))
    cert = result["certification"]
    assert cert["self_assessment"] and cert["awarded"] == 2 == result["overall"]["level"]
    text = pdf_text(demo_dir / f"demo-report-{lang}.pdf")
    assert marker in text and verdict in text
    assert result["responses"]["sha256"] in text.replace("\n", "")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh-CN", ["同业基准对比", "示意性合成数据", "同业百分位", "全部组织", "以差分隐私发布"]),
        (
            "en",
            ["Peer benchmark", "illustrative, synthetic", "Peer percentile", "all organisations"],
        ),
    ],
)
def test_demo_shows_the_illustrative_benchmark(demo_dir: Path, lang: str, words: list[str]) -> None:
    result = json.loads((demo_dir / f"demo-result-{lang}.json").read_text("utf-8"))
    bench = result["benchmark"]
    assert bench["id"] == "illustrative" and bench["illustrative"] is True
    assert bench["label"]["en"] == "illustrative, synthetic — not survey data"
    # the built-in benchmark (650 organisations, min group 400) publishes only everybody
    assert bench["group"] == {} and bench["approximate"] is True
    assert 0 <= bench["overall"]["percentile"] <= 100
    shown = bench["overall"]["shown"]
    assert shown in ("< P10", "> P90") or shown.startswith("≈ P")
    text = pdf_text(demo_dir / f"demo-report-{lang}.pdf").replace(" ", "")
    for word in [*words, shown]:
        assert word.replace(" ", "") in text, word
    assert "differentiallyprivate" in text.replace("\n", "") or "差分隐私" in text


def test_demo_report_verifies(demo_dir: Path) -> None:
    """A built-in framework, a zh-CN report and the built-in benchmark: verify renders the
    report again from what it embeds alone and finds it the same."""
    pdf = demo_dir / "demo-report-zh-CN.pdf"
    res = CliRunner().invoke(cli, ["verify", str(pdf)])
    assert res.exit_code == 0, res.output
    assert "ok        benchmark sha256: " in res.output
    assert "byte-identical to a fresh rendering" in res.output
    assert res.output.splitlines()[-1].startswith(f"{pdf}: verified (")


# --- the full audit (demo-audit-*) ---------------------------------------------------------

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def flat(text: str) -> str:
    """Text without white space: a PDF wraps long texts where its lines end."""
    return "".join(text.split())


@cache
def poppler_text(pdf: Path) -> str:
    """The text pdftotext extracts (poppler), as a reader's tools see it."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_demo_audit_files_are_its_own(demo_dir: Path, lang: Lang) -> None:
    """The audit's responses and result are those the library makes, and they hold what
    the audit is: ten interviewees, a workshop, a register and two overrides."""
    text, result = audit_texts(demo_dir / f"demo-audit-responses-{lang}.yaml", lang)
    assert text.encode() == (demo_dir / f"demo-audit-responses-{lang}.yaml").read_bytes()
    assert result.encode() == (demo_dir / f"demo-audit-result-{lang}.json").read_bytes()
    data = json.loads(result)
    kinds = [r["kind"] for r in data["respondents"]]
    assert kinds.count("person") == 10 and kinds.count("workshop") == 1
    assert len(data["overrides"]) == 2 and data["assessor"]
    assert all(c["intention"] is not None and c["reality"] is not None for c in data["criteria"])


def printed(text: str, extracted: str, gap: int = 200) -> bool:
    """Whether `text` is printed in a PDF whose extracted text is `extracted`: its words (its
    characters, in Chinese) in order, each at most `gap` characters after the one before. A
    table prints a long text in a narrow column, wrapped and hyphenated, and pdftotext gives
    the lines of the row's other cells between its lines; white space and hyphens are left
    out on both sides (pdftotext joins a word hyphenated at a line end)."""
    flat = re.sub(r"[\s-]", "", extracted)
    if HAN.search(text):
        tokens = [c for c in text if not c.isspace() and c != "-"]
    else:
        tokens = [t for t in re.split(r"[\s-]+", text) if t]
    start = flat.find(tokens[0])
    while start >= 0:
        pos = start + len(tokens[0])
        for token in tokens[1:]:
            found = flat.find(token, pos)
            if found < 0 or found - pos > gap:
                break
            pos = found + len(token)
        else:
            return True
        start = flat.find(tokens[0], start + 1)
    return False


def test_printed_finds_a_wrapped_cell_and_nothing_else() -> None:
    column = "Reason\nNearly four in ten\nev-06 Complaint\ncomplaints in the follow-\n(ok)\nup call"
    assert printed("Nearly four in ten complaints in the follow-up call", column)
    assert not printed("Nearly one in ten complaints in the follow-up call", column)
    assert not printed("Nearly four in ten complaints in the call", column.replace("call", ""))
    assert printed("近四成没有处理", "近四成\nev-06 台账\n没有处理")
    assert not printed("近一成没有处理", "近四成\nev-06 台账\n没有处理")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_demo_audit_pdf_shows_the_ratings_and_the_workshop(demo_dir: Path, lang: Lang) -> None:
    """The audit's report prints each override's reason (a wrapped table cell) and the
    workshop's name and participants, in the report's language, and no reason edited."""
    audit = load_demo_audit()
    text = poppler_text(demo_dir / f"demo-audit-report-{lang}.pdf")
    for rating in audit.ratings:
        assert printed(rating.reason.get(lang), text), rating.criterion
    first = audit.ratings[0].reason.get(lang)
    assert not printed(first.replace("四成", "一成").replace("four in ten", "one in ten"), text)
    assert printed(audit.workshop.name.get(lang), text)
    for p in audit.workshop.participants:
        assert printed(p.name.get(lang), text)
    assert printed(audit.assessor.get(lang), text)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_demo_audit_docx_and_deck(demo_dir: Path, lang: Lang) -> None:
    """The Word report has the ratings' reasons and the workshop; the deck has 10-14 slides
    with the organisation and index of the result, the ratings and the largest gap."""
    import docx
    import pptx

    audit = load_demo_audit()
    result = json.loads((demo_dir / f"demo-audit-result-{lang}.json").read_text("utf-8"))
    document = docx.Document(str(demo_dir / f"demo-audit-report-{lang}.docx"))
    words = [p.text for p in document.paragraphs]
    words += [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = flat(" ".join(words))
    for rating in audit.ratings:
        assert flat(rating.reason.get(lang)) in text, rating.criterion
    assert flat(audit.workshop.name.get(lang)) in text
    deck = pptx.Presentation(str(demo_dir / f"demo-audit-deck-{lang}.pptx"))
    assert 10 <= len(deck.slides) <= 14
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
    said = flat(" ".join(texts))
    assert flat(result["organization"]["name"]) in said
    assert f"{result['overall']['index']:.2f}" in said
    for rating in audit.ratings:  # the assessor ratings' slide
        assert flat(rating.reason.get(lang)) in said, rating.criterion
    # the intention-vs-reality slide names the largest gap with its figures
    largest = max(result["criteria"], key=lambda c: c["gap"])
    assert f"{largest['intention']:.1f}" in said and f"{largest['gap']:.1f}" in said


@pytest.mark.parametrize(("fmt", "name"), [r for r in REPORTS if r[0] != "pdf"])
def test_demo_audit_docx_and_deck_are_reproducible(
    demo_dir: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    """The Word report and the deck are made again byte for byte in this process."""
    lang: Lang = "zh-CN"
    responses = demo_dir / f"demo-audit-responses-{lang}.yaml"
    again = write_audit_report(
        responses.read_text("utf-8"), responses, lang, fmt, tmp_path / name.format(lang=lang)
    )
    assert again.read_bytes() == (demo_dir / name.format(lang=lang)).read_bytes()


def _edited_trail(pdf: Path, dest: Path, old: bytes, new: bytes) -> Path:
    """The PDF with its embedded responses file's trail edited (re-embedded as they were)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(pdf)
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    for attached, (data, *_) in reader.attachments.items():
        if attached.startswith("demo-audit-responses"):
            assert data.count(old) == 1
            data = data.replace(old, new)
        writer.add_attachment(attached, data)
    with dest.open("wb") as f:
        writer.write(f)
    return dest


def test_demo_audit_report_verifies(demo_dir: Path) -> None:
    pdf = demo_dir / "demo-audit-report-zh-CN.pdf"
    res = CliRunner().invoke(cli, ["verify", str(pdf)])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-1].startswith(f"{pdf}: verified (")


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        ("a reason", "近四成没有处理结果", "近一成没有处理结果"),
        ("a rating", "ops-complaints\n  rating: 2\n", "ops-complaints\n  rating: 3\n"),
    ],
)
def test_demo_audit_with_an_edited_override_does_not_verify(
    demo_dir: Path, tmp_path: Path, what: str, old: str, new: str
) -> None:
    """`crmm verify` fails (exit 1) once an override in the responses the audit's report
    embeds is edited: the trail is part of the responses file's hash."""
    pdf = demo_dir / "demo-audit-report-zh-CN.pdf"
    recorded = json.loads((demo_dir / "demo-audit-result-zh-CN.json").read_text("utf-8"))
    edited = _edited_trail(pdf, tmp_path / "edited.pdf", old.encode(), new.encode())
    res = CliRunner().invoke(cli, ["verify", str(edited)])
    assert res.exit_code == 1, (what, res.output)
    assert "MISMATCH  responses sha256: recorded" in res.output
    assert recorded["responses"]["sha256"][:12] in res.output
    assert "verified" not in res.output.splitlines()[-1]


def test_readme_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's first commands: `crmm demo`, then the full audit example's deck."""
    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index("## Get started")
    block = readme[
        readme.index("```bash", start) + 7 : readme.index("```", readme.index("```bash", start) + 7)
    ]
    lines = [line.strip() for line in block.strip().splitlines()]
    assert lines[0].endswith("&& crmm demo")
    args = lines[1].split()
    assert args[:2] == ["crmm", "report"] and args[2] == "examples/full-audit/responses-en.yaml"
    monkeypatch.chdir(ROOT)
    out = tmp_path / args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(out)
    res = CliRunner().invoke(cli, args[1:])
    assert res.exit_code == 0, res.output
    import pptx

    assert 10 <= len(pptx.Presentation(str(out)).slides) <= 14
