"""Vietnamese text helpers shared by every search box.

Sources disagree on Unicode form (91 names of the conversion table are not NFC), on tone-mark
placement ("Hoà" / "Hòa"), on apostrophes (' / ’) and on capitalisation ("phường"); a citizen
types without accents at all. Names are stored in NFC for display and, next to them, folded for
search, so all of these compare equal.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """NFC, single spaces, unified apostrophes; the form names are stored and shown in."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Accent-free, lower-case form for matching: "Xã Hoà  Khánh" -> "xa hoa khanh".

    Removing every combining mark makes tone-mark placement irrelevant; đ is a letter of its own
    in Unicode (not d + mark), so it is mapped explicitly.
    """
    text = normalise_name(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()
