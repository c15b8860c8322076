"""The bundled CJK font covers every character of the built-in content and labels."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

from assessment import demo
from frameworks.loader import load_framework
from questionnaires.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "reports" / "fonts"


def _strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list | tuple):
        return [s for v in obj for s in _strings(v)]
    return []


def test_font_covers_builtin_content() -> None:
    texts = _strings(load_framework("crm-maturity").model_dump(by_alias=True))
    for qid in ("full-audit", "quick-check"):
        texts += _strings(load_questionnaire(qid)[0].model_dump(by_alias=True))
    texts += _strings(demo.demo_written().model_dump(by_alias=True))
    from frameworks.fileio import load_data

    texts += _strings(load_data(ROOT / "frameworks" / "data" / "vocabulary.yaml"))
    from frameworks.text import zh_typography

    report_files = [*(ROOT / "reports" / "static").glob("*.yaml")]
    report_files += (ROOT / "reports" / "templates").glob("*.j2")
    for path in report_files:
        text = path.read_text("utf-8")
        texts += [text, zh_typography(text)]
    chars = {ch for t in texts for ch in t if ord(ch) > 0x20}
    for style in ("Regular", "Bold"):
        cmap = TTFont(FONTS / f"NotoSansSC-{style}.woff2").getBestCmap()
        missing = sorted(ch for ch in chars if ord(ch) not in cmap)
        assert not missing, f"{style} lacks {''.join(missing)!r}: run scripts/subset_fonts.py"
