"""Chinese typography: ASCII punctuation next to Chinese becomes full-width."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from frameworks.text import Text, zh_typography


def test_full_width_next_to_chinese() -> None:
    assert zh_typography("得分 0–100;评估") == "得分 0–100\uff1b评估"
    assert zh_typography("CRM(客户关系管理)") == "CRM\uff08客户关系管理\uff09"
    assert zh_typography('权重体现"能力驱动结果"的逻辑:客户, 对吗?') == (
        "权重体现\u201c能力驱动结果\u201d的逻辑\uff1a客户\uff0c对吗\uff1f"
    )


def test_folded_line_gap_between_chinese_closed() -> None:
    assert zh_typography("客户 管理 CRM 系统") == "客户管理 CRM 系统"


def test_ascii_context_untouched() -> None:
    for s in ("a, b (c) 1:2", "see http://example.com/x?y=1", "NPS (Net Promoter Score)"):
        assert zh_typography(s) == s


def test_text_model_applies_it_to_chinese_only() -> None:
    t = Text.model_validate({"zh-CN": "领导,战略", "en": "a, b"})
    assert t.zh == "领导\uff0c战略" and t.en == "a, b"


@given(st.text(alphabet='ab1 ,;:?!()"中文。', max_size=40))
def test_idempotent_and_length_preserving_for_ascii(s: str) -> None:
    once = zh_typography(s)
    assert zh_typography(once) == once
    assert len(once) <= len(s)
