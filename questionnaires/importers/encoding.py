"""Text encodings of survey exports: UTF-8 (with or without BOM), UTF-16/32 with BOM,
UTF-16 without BOM, and GB18030 (a superset of GBK and GB 2312, what Chinese Excel saves)."""

from __future__ import annotations

import codecs

from frameworks.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


BOMS = tuple(bom for bom, _ in _BOMS)


def utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 LE/BE without BOM: most ASCII characters leave a zero byte on one side."""
    sample = raw[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even == 0:
        return "utf-16-le"
    if even > half * 0.3 and odd == 0:
        return "utf-16-be"
    return None


def decode_text(raw: bytes, source: str) -> tuple[str, str]:
    """The text of an export and the name of the encoding it was read with."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(name.replace("-sig", "")), name
            except UnicodeDecodeError as exc:
                raise InputError.one(
                    source, "", f"starts like {name} but is not (byte {exc.start + len(bom)})"
                ) from None
    if (guess := utf16_without_bom(raw)) is not None:
        try:
            return raw.decode(guess), guess
        except UnicodeDecodeError:
            pass
    for name in ("utf-8", "gb18030"):
        try:
            return raw.decode(name), name
        except UnicodeDecodeError:
            continue
    raise InputError.one(source, "", "not UTF-8, UTF-16 or GB18030 (GBK) text")
