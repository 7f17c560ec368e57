"""Cleaning the portal's text before anything else reads it.

The scraped cells mix Unicode forms (some names are decomposed, NFD), carry no-break and em
spaces, left-to-right marks and Wingdings bullets from pasted Word documents (private-use code
points such as U+F0FC). Every parser works on the cleaned form so that one regex fits all.
"""

from __future__ import annotations

import re
import unicodedata

# What the portal prints when a cell was left empty.
NO_INFO = "Không có thông tin"

_SPACE_LIKE = str.maketrans(
    {"\xa0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\t": " "}
)
# Zero-width characters and direction marks carry no meaning in this data.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
# Private-use code points are Wingdings bullets pasted from Word; they print as boxes.
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_RUNS_OF_SPACES = re.compile(r"[ ]{2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_block(text: str) -> str:
    """NFC, one kind of space, no invisible characters; line breaks kept (steps are multi-line)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _PRIVATE_USE.sub(" ", _INVISIBLE.sub("", text.translate(_SPACE_LIKE)))
    lines = [_RUNS_OF_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_inline(text: str) -> str:
    """`clean_block` on one line: for names, titles and table cells."""
    return " ".join(clean_block(text).split())


def without_placeholder(text: str) -> str:
    """The cleaned text, or "" when the portal only says that it has no information."""
    return "" if text.rstrip(".").strip().casefold() == NO_INFO.casefold() else text


def _letters(predicate: str) -> str:
    """Every Latin letter (Vietnamese included) for which str.<predicate>() holds, for a regex
    character class: `re` has no \\p{Lu}/\\p{Ll}, and the cells are glued at case changes."""
    return "".join(
        c for c in map(chr, range(0x41, 0x1F00)) if c.isalpha() and getattr(c, predicate)()
    )


LOWER = _letters("islower")
UPPER = _letters("isupper")
