"""What a report may load while it is rendered: package files and `data:` URLs, nothing else.

The PDF engine asks for every stylesheet, font and image through `fetch_resource`, so text
from a responses file (an organisation name with an `<img>` or a `file://` link, say) can
never make the renderer read local files or reach the network.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import DataHandler, Request, url2pathname

from .paths import FONTS_DIR, STATIC_DIR

ALLOWED_DIRS = (STATIC_DIR, FONTS_DIR)
MEDIA_TYPES = {
    ".css": "text/css",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class ResourceRefused(ValueError):
    """A URL outside what a report may load."""


def allowed_path(url: str) -> Path:
    """The package file a `file:` URL names, if it lies inside static/ or fonts/."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"refused to load {url!r}: only report package files are served")
    path = Path(url2pathname(parts.path)).resolve()
    if not any(path.is_relative_to(d) for d in ALLOWED_DIRS) or not path.is_file():
        raise ResourceRefused(f"refused to load {url!r}: outside the report's static files")
    return path


def fetch_resource(url: str) -> tuple[bytes, str]:
    """The bytes and media type of an allowed resource; raise ResourceRefused otherwise."""
    if urlsplit(url).scheme.lower() == "data":
        with DataHandler().data_open(Request(url)) as resp:
            return resp.read(), resp.headers.get_content_type()
    path = allowed_path(url)
    return path.read_bytes(), MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
