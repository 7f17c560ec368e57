"""HTML templates to PDF with WeasyPrint, the same bytes for the same data.

Determinism: the text comes only from the slip's data (data.py); the fonts are bundled (DejaVu
Serif Condensed: full Vietnamese coverage, about as wide as the Times the forms are set in) and
loaded by file URL, so installed fonts never matter; the PDF's creation and modification dates
are the slip's own date, not the time of printing; no random file identifier is written; the QR
code is an SVG drawn from the data. What could still change the bytes — the templates, the CSS,
the fonts, the WeasyPrint, pydyf and Pango versions, the font subsetter — is summed up in
`layout_fingerprint()`, which is part of every slip's data hash: a change there gives the next
slip issued a new version instead of silently different bytes.

Nothing is fetched from outside: the URL fetcher serves the bundled fonts and data: URIs and
stops the rendering on anything else, so text a user typed can never pull in a file or a URL.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

HERE = Path(__file__).resolve().parent
FONTS_DIR = HERE / "fonts"
PRINT_CSS = HERE / "print.css"
TEMPLATES_DIR = HERE.parent / "templates" / "dossiers" / "slips"
FONT_FAMILY = "MotCua Serif"
FONT_FACES = (
    ("DejaVuSerifCondensed.ttf", "normal", "normal"),
    ("DejaVuSerifCondensed-Bold.ttf", "bold", "normal"),
    ("DejaVuSerifCondensed-Italic.ttf", "normal", "italic"),
    ("DejaVuSerifCondensed-BoldItalic.ttf", "bold", "italic"),
)

# WeasyPrint is imported when a slip is rendered, not when the API loads: it loads Pango and
# HarfBuzz as it is imported, and a machine without them should lose the slips, not the API.


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher  # noqa: PLC0415

    class BundledOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves data: URIs and the bundled fonts; any other URL stops the rendering."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if path.parent == FONTS_DIR and path.suffix == ".ttf":
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"Slips load nothing from outside: {url}")

    return BundledOnlyFetcher


def bundled_only_fetcher() -> Any:
    return _fetcher_class()()


def _font_css() -> str:
    return "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{(FONTS_DIR / name).as_uri()}"); }}\n'
        for name, weight, style in FONT_FACES
    )


@functools.cache
def layout_fingerprint() -> str:
    """SHA-256 of everything besides the data that shapes a slip's bytes."""
    digest = hashlib.sha256()
    files = [
        *sorted(TEMPLATES_DIR.glob("*.html")),
        PRINT_CSS,
        *(FONTS_DIR / name for name, _weight, _style in FONT_FACES),
    ]
    for path in files:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(_engine_versions().encode())
    return digest.hexdigest()


def _engine_versions() -> str:
    import fontTools  # noqa: PLC0415
    import pydyf  # noqa: PLC0415
    import weasyprint  # noqa: PLC0415
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset, pango  # noqa: PLC0415

    # Fonts are subset by HarfBuzz when its subsetter is there (libharfbuzz-subset0, 4.1+),
    # else by fontTools: the embedded font bytes differ.
    if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0):
        subsetter = "harfbuzz"
    else:
        subsetter = f"fonttools {fontTools.version}"
    return (
        f"weasyprint {weasyprint.__version__} pydyf {pydyf.VERSION} "
        f"pango {pango.pango_version()} subset {subsetter}"
    )


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=0)


def render_html(kind: str, data: dict[str, Any]) -> str:
    # Our own stylesheet and font URLs, never user input.
    css = mark_safe(_font_css() + PRINT_CSS.read_text(encoding="utf-8"))  # noqa: S308
    context = {"slip": data, "css": css, "qr": qr_data_uri(data["qr_url"])}
    # The forms are Vietnamese documents whatever the reader's language.
    with translation.override("vi"):
        return render_to_string(f"dossiers/slips/{kind}.html", context)


def render_pdf(kind: str, data: dict[str, Any]) -> bytes:
    """Slip `kind` as A4 PDF. The same (kind, data) gives the same bytes with the same layout
    fingerprint. Must not run inside a transaction (STYLE §6: no PDF rendering there)."""
    import weasyprint  # noqa: PLC0415

    html = weasyprint.HTML(
        string=render_html(kind, data),
        base_url=FONTS_DIR.as_uri() + "/",
        url_fetcher=bundled_only_fetcher(),
    )
    pdf: bytes = html.write_pdf()
    return pdf
