"""A consultancy's brand on the report: name, logo, colours, footer and confidentiality line.

`load_brand` reads a brand file (YAML) and its logo; the logo is checked here and embedded as
a `data:` URL, so the renderer never loads a file or URL for it. Without a brand the report
keeps its neutral look (`NEUTRAL`).
"""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal
from xml.etree import ElementTree

from pydantic import AfterValidator, Field, PrivateAttr, model_validator

from frameworks.errors import InputError
from frameworks.fileio import parse_data, read_bytes, validate_as
from frameworks.model import Strict
from frameworks.text import Lang, zh_typography

from .charts import ACCENT as CHART_ACCENT

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 8000
MAX_TEXT = 200
DEFAULT_COLOR = "#1f5f8b"  # report.css's accent: the neutral look
INK, WHITE = "#222222", "#ffffff"
TEXT_CONTRAST = 4.5  # WCAG AA for body text
ORG_PLACEHOLDER = "{organization}"
TINT = 0.11  # share of the accent in its light tint (#1f5f8b -> about #e4edf3)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_SVG_NS = "http://www.w3.org/2000/svg"
_URL_REF = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_SAFE_DATA = re.compile(r"^data:image/(?:png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_CSS_RISK = re.compile(r"\\|://|\bimage(?:-set)?\(", re.IGNORECASE)
_FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video"}


def _printable(v: str) -> str:
    """Reject control characters (newline and tab allowed): they would garble a report."""
    if m := _CONTROL.search(v):
        raise ValueError(f"control character {m.group()!r} at position {m.start()} not allowed")
    return v


def _color(v: str) -> str:
    """`#rgb` or `#rrggbb`, returned as lower-case `#rrggbb`."""
    if not _COLOR.match(v):
        raise ValueError(f"{v!r} is not a colour: write #rgb or #rrggbb, e.g. #1f5f8b")
    v = v.lower()
    return "#" + "".join(c * 2 for c in v[1:]) if len(v) == 4 else v


Color = Annotated[str, AfterValidator(_color)]


BrandString = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_printable)]


class BrandText(Strict):
    """A brand text in both report languages; a plain string is used for both."""

    zh: BrandString = Field(alias="zh-CN")
    en: BrandString

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, v: Any) -> Any:
        if not isinstance(v, str):
            return v
        if not v or len(v) > MAX_TEXT:
            raise ValueError(f"must be 1-{MAX_TEXT} characters long")
        _printable(v)  # checked once here, so a bad plain string gives one error
        return {"zh-CN": v, "en": v}

    def get(self, lang: Lang) -> str:
        return zh_typography(self.zh) if lang == "zh-CN" else self.en


class BrandColors(Strict):
    """The brand's primary colour (cover, headings) and accent (tiles, badges, highlights)."""

    primary: Color | None = None
    accent: Color | None = None


class Brand(Strict):
    """What a brand file (`brand.yaml`) holds; the logo path is relative to the file."""

    type: Literal["brand"] = "brand"
    name: BrandText | None = None
    logo: BrandString | None = None
    colors: BrandColors = Field(default_factory=BrandColors)
    footer: BrandText | None = None
    confidentiality: BrandText | None = None
    _logo_url: str | None = PrivateAttr(default=None)

    @property
    def logo_url(self) -> str | None:
        """The checked logo as a `data:` URL (set by `load_brand` / `with_logo`)."""
        return self._logo_url


NEUTRAL = Brand()


def load_brand(path: Path) -> Brand:
    """Read and check a brand file and its logo; problems raise a located InputError."""
    brand = validate_as(Brand, parse_data(read_bytes(path), path), path)
    if brand.logo is None:
        return brand
    logo = PurePath(brand.logo)
    if logo.is_absolute():
        raise InputError.one(path, "logo", "must be a path relative to the brand file")
    logo_path = path.parent / logo
    try:
        with logo_path.open("rb") as fh:
            data = fh.read(MAX_LOGO_BYTES + 1)  # enough to tell it is too large
    except FileNotFoundError:
        raise InputError.one(path, "logo", f"file not found: {logo_path}") from None
    except OSError as exc:
        raise InputError.one(path, "logo", f"cannot read {logo_path}: {exc.strerror}") from None
    try:
        return with_logo(brand, data, logo.suffix)
    except ValueError as exc:
        raise InputError.one(path, "logo", f"{brand.logo}: {exc}") from None


def with_logo(brand: Brand, data: bytes, suffix: str) -> Brand:
    """A copy of `brand` with this logo (`.svg` or `.png` bytes) checked and embedded;
    ValueError says what is wrong with it."""
    suffix = suffix.lower()
    if suffix not in (".svg", ".png"):
        raise ValueError(f"the logo must be an .svg or .png file, not {suffix or 'no suffix'!r}")
    if len(data) > MAX_LOGO_BYTES:
        raise ValueError(f"the logo is larger than 1 MB ({MAX_LOGO_BYTES} bytes)")
    if suffix == ".png":
        _check_png(data)
        media = "image/png"
    else:
        _check_svg(data)
        media = "image/svg+xml"
    copy = brand.model_copy()
    copy._logo_url = f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
    return copy


def _check_png(data: bytes) -> None:
    if len(data) < 24 or not data.startswith(_PNG_MAGIC) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image (its first bytes are not a PNG signature and header)")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
        raise ValueError(f"a {width} x {height} PNG; each side must be 1-{MAX_LOGO_PIXELS} pixels")


def _check_svg(data: bytes) -> None:
    """An SVG document that is self-contained: no DTD or entities, no scripts or embedded
    HTML, and no reference to anything outside itself (only `#id` and raster `data:` URLs)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("an SVG logo must be UTF-8 text") from None
    lower = text.lower()
    if "<!doctype" in lower or "<!entity" in lower:
        raise ValueError("an SVG logo may not contain a DOCTYPE or entity declarations")
    if "<?xml-stylesheet" in lower or "@import" in lower:
        raise ValueError("an SVG logo may not load stylesheets")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise ValueError(f"not a well-formed SVG document ({exc})") from None
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise ValueError(f'the root element is not <svg xmlns="{_SVG_NS}">')
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if tag in _FORBIDDEN_TAGS:
            raise ValueError(f"an SVG logo may not contain <{tag}>")
        for attr, value in el.attrib.items():
            name = attr.rsplit("}", 1)[-1]
            if name.lower().startswith("on"):
                raise ValueError(f"an SVG logo may not contain event handlers ({name})")
            if name == "href":
                _check_ref(value, f"<{tag} href>")
                continue
            for ref in _URL_REF.findall(value):
                _check_ref(ref, f"url() in <{tag} {name}>")
            if (name == "style" and _CSS_RISK.search(value)) or (
                "\\" in value and not attr.startswith("{")
            ):
                raise ValueError(f"<{tag} {name}> may load something: {value[:60]!r}")
        for ref in _URL_REF.findall(el.text or ""):
            _check_ref(ref, f"url() in <{tag}>")
        if tag == "style" and _CSS_RISK.search(el.text or ""):
            raise ValueError("an SVG logo's <style> may not contain escapes or other URLs")


def _check_ref(ref: str, where: str) -> None:
    ref = ref.strip()
    if ref.startswith("#") or _SAFE_DATA.match(ref):
        return
    shown = ref if len(ref) <= 60 else ref[:57] + "..."
    raise ValueError(
        f"{where} refers to {shown!r}; a logo must be self-contained"
        " (only #id references and embedded PNG/JPEG data)"
    )


# -- colours ----------------------------------------------------------------------------


def _rgb(color: str) -> tuple[float, float, float]:
    return (int(color[1:3], 16) / 255, int(color[3:5], 16) / 255, int(color[5:7], 16) / 255)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(color: str) -> float:
    """WCAG relative luminance of a `#rrggbb` colour."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(color: str) -> str:
    """White or ink text, whichever reads better on a `color` background."""
    return WHITE if contrast(WHITE, color) >= contrast(INK, color) else INK


def mix(color: str, other: str, share: float) -> str:
    """`share` of `color` mixed into `other`."""
    r, g, b = (share * a + (1 - share) * c for a, c in zip(_rgb(color), _rgb(other), strict=True))
    return _hex((r, g, b))


def readable(color: str, *backgrounds: str) -> str:
    """`color`, darkened just enough to be read as text on each of `backgrounds`."""
    for step in range(21):
        darker = mix(color, "#000000", 1 - step * 0.05)
        if all(contrast(darker, bg) >= TEXT_CONTRAST for bg in backgrounds):
            return darker
    return INK


def css_variables(colors: BrandColors) -> tuple[tuple[str, str], ...]:
    """The CSS custom properties for the brand colours; none when the brand sets none."""
    if colors.primary is None and colors.accent is None:
        return ()
    primary = colors.primary or colors.accent or DEFAULT_COLOR
    accent = colors.accent or primary
    light = mix(accent, WHITE, TINT)
    return (
        ("--primary", primary),
        ("--primary-text", readable(primary, WHITE)),
        ("--accent", accent),
        ("--accent-light", light),
        ("--accent-text", readable(accent, WHITE, light)),
        ("--on-accent", text_on(accent)),
    )


# -- the report's view ------------------------------------------------------------------


@dataclass(frozen=True)
class BrandView:
    """The brand in the report language: what the cover, footer and stylesheet show."""

    name: str | None = None
    logo: str | None = None  # a data: URL
    footer: str | None = None
    confidentiality: str | None = None
    css: tuple[tuple[str, str], ...] = ()
    chart_color: str | None = None  # replaces charts.ACCENT in the SVG charts


def brand_view(brand: Brand | None, lang: Lang, organization: str = "") -> BrandView:
    """The brand's texts in `lang` (`{organization}` replaced by the assessed
    organisation's name) and its colours as CSS custom properties."""
    if brand is None:
        return BrandView()

    def local(text: BrandText | None) -> str | None:
        return None if text is None else text.get(lang).replace(ORG_PLACEHOLDER, organization)

    css = css_variables(brand.colors)
    return BrandView(
        name=local(brand.name),
        logo=brand.logo_url,
        footer=local(brand.footer),
        confidentiality=local(brand.confidentiality),
        css=css,
        chart_color=dict(css).get("--primary-text"),
    )


def recolor_charts(html: str, view: BrandView) -> str:
    """The report's SVG charts, drawn in charts.ACCENT, in the brand's chart colour (its
    primary colour, darkened if needed so that lines and white labels on it stay legible)."""
    if view.chart_color is None or view.chart_color == CHART_ACCENT:
        return html
    return html.replace(f'="{CHART_ACCENT}"', f'="{view.chart_color}"')
