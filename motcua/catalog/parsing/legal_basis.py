"""Legal basis ("Căn cứ pháp lý"): the laws, decrees and circulars a procedure rests on.

The portal's two-column table ("Tên văn bản pháp lýMã văn bản") is glued into one string of
title + number pairs: "Luật 78/2006/QH1178/2006/QH11Luật 03/2003/QH11…". A number ends a row
when it is glued to what follows (the next title, or the repeated number) or ends the text; a
number followed by a space or punctuation is a reference inside a title ("sửa đổi Thông tư số
19/2021/TT-BTC ngày…").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from motcua.catalog.parsing.issues import make_issue
from motcua.catalog.parsing.text import LOWER, UPPER, clean_inline, without_placeholder

_HEADER = "Tên văn bản pháp lýMã văn bản"


@dataclass(frozen=True)
class LegalDoc:
    """A legal document. `number` is its code as published ("85/2019/TT-BTC"), None if absent."""

    title: str
    number: str | None


# A code segment: an upper-case run ("NĐ", "BTC", "BNNMT"), the Prime Minister's "TTg", or a
# legislature's "QH15"/"UBTVQH14" (digits only ever follow "QH", so "CP05/2012" splits as
# "CP" + "05/2012").
_SEGMENT = rf"(?:[{UPPER}]*QH\d{{1,2}}|TTg|[{UPPER}]+)"
# Separators seen: "NĐ-CP", "NĐ- CP", "TT_BCA", "TT/BTC", "TTLT/BQP-BLĐTBXH-BTC". A space
# before the dash is a title's dash: "10/2014/TT-BCA - Quy định…".
_CODE = rf"{_SEGMENT}(?:[-_/]\s?{_SEGMENT})*"
# "85/2019/TT-BTC", "24/2024", "490/QĐ-BHXH", "66.19/2026/NQ-CP". Not inside a date or another
# number, except where glued to something that ends the title: a legislature code
# ("QH1178/2006/QH11"), a date ("ngày 15/5/2026.55/2026/TT-BTC"), or a date's year with no
# separator ("ngày 29/6/202443/2024/QH15": the year "2024" is skipped, the number is "43/…").
_CLEAN_START = r"(?:(?<![\d/])(?<!\d\.)|(?<=QH\d)|(?<=QH\d\d)|(?<=/[12][09]\d\d\.))"
_YEAR_GLUED_BEFORE = r"(?:19|20)\d\d(?=\d{1,4}/)"
_NUMBER = re.compile(
    rf"(?:{_CLEAN_START}(?:{_YEAR_GLUED_BEFORE})?|(?<=/){_YEAR_GLUED_BEFORE})"
    rf"(?P<number>\d+(?:\.\d+)?(?:/(?:19|20)\d\d(?!\d)(?:/\s?{_CODE})?|/{_CODE}))"
)
# Agency codes a number legitimately ends with; used to decide whether a trailing capital
# belongs to the code or starts the next title ("NĐ-CPLuật" vs "TT-BTCquy").
_KNOWN_LAST_SEGMENTS = frozenset(
    {
        "CP", "TTg", "BTC", "BCA", "BXD", "BTP", "BNNMT", "BNNPTNT", "BGTVT", "BTNMT", "BYT",
        "BKHĐT", "BLĐTBXH", "BQP", "BNG", "BCT", "BVHTTDL", "BNV", "BKHCN", "BTTTT", "NHNN",
        "UBND", "HĐND", "VPQH", "BHXH", "CSXH", "TCT", "TCHQ", "UBCKNN",
    }
)  # fmt: skip
# How a Vietnamese word can begin after its capital: a vowel ("Lu…") or a two-letter
# consonant ("Th…", "Ng…", "Qu…"). "Pq…" cannot, so "CPquy" is "CP" + "quy".
_ONSET_PAIRS = frozenset({"ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr"})
_VOWELS = frozenset("aeiouy")  # after NFD, "ư" is "u" + horn, "ô" is "o" + circumflex


def _starts_a_word(capital: str, following: str) -> bool:
    """True if `capital` + `following` reads as the start of a Vietnamese word ("Lu", "Th")."""
    base = unicodedata.normalize("NFD", following[:1].lower())[:1]
    return base in _VOWELS or (capital + base).lower() in _ONSET_PAIRS


def _trim_code(text: str, start: int, end: int) -> int:
    """Give back capitals that begin the glued next title: "NĐ-CPLuật" -> "NĐ-CP",
    "NĐ-CPTHÔNG TƯ…" -> "NĐ-CP". A known agency code wins; otherwise the last capital goes back
    only if it starts a Vietnamese word with the lower-case text after it."""
    code = text[start:end]
    segment = [part for part in re.split(r"[-_/\s]", code) if part][-1]
    if segment in _KNOWN_LAST_SEGMENTS or not segment.isalpha():
        return end
    for length in range(len(segment) - 1, 1, -1):
        if segment[:length] in _KNOWN_LAST_SEGMENTS:
            return end - (len(segment) - length)
    # Also a lone capital after a separator: "05/2007/QH12- Luật".
    following = text[end : end + 1]
    if following in LOWER and following and _starts_a_word(segment[-1], following):
        return start + len(text[start : end - 1].rstrip("-_/ "))
    return end


_DATE_FOLLOWS = re.compile(r"\s*ngày\s*\d")


def _ends_a_row(
    text: str, span: tuple[int, int], following: tuple[int, int] | None, row_start: int
) -> bool:
    start, end = span
    rest = text[end:]
    if not rest.strip(" .;,"):
        return True
    if _DATE_FOLLOWS.match(rest):
        return False  # "số 53/2025/TT-BCAngày 01/7/2025": a reference missing its space
    if following is not None and following[0] == end:
        # Two numbers glued. "Luật 78/2006/QH1178/2006/QH11" and "…bởi Thông tư số
        # 01/2022/TT-BNNPTNT17/2026/TT-BNNMT": the first is written in the title, spaced, the
        # second is the number cell. But a number glued to the title's last word is itself a
        # cell ("Luật Địa chất và Khoáng sản54/2024/QH15193/2025/NĐ-CP": two rows, the second
        # untitled), and so is a repeat of a number the title already named.
        glued_to_title = start > row_start and not text[start - 1].isspace()
        return glued_to_title or text[start:end] in text[row_start:start]
    return rest[0].isalnum()


def parse_legal_basis(raw: str) -> tuple[tuple[LegalDoc, ...], tuple[str, ...]]:
    """Read the title/number pairs; returns the documents and the issues found."""
    text = without_placeholder(clean_inline(raw))
    issues: list[str] = []
    if text.startswith(_HEADER):
        text = text[len(_HEADER) :]
    elif text:
        issues.append(make_issue("legal basis", "table header missing", text))
    if not text:
        return (), (make_issue("legal basis", "none listed"),)
    spans = [
        (m.start("number"), _trim_code(text, m.start("number"), m.end()))
        for m in _NUMBER.finditer(text)
    ]
    documents: list[LegalDoc] = []
    row_start = 0
    for index, (start, end) in enumerate(spans):
        following = spans[index + 1] if index + 1 < len(spans) else None
        if start < row_start or not _ends_a_row(text, (start, end), following, row_start):
            continue
        title = text[row_start:start].strip(" ;,")
        documents.append(LegalDoc(title=title, number=text[start:end].replace(" ", "")))
        row_start = end
    tail = text[row_start:].strip(" .;,")
    if tail:
        documents.append(LegalDoc(title=tail, number=None))
        issues.append(make_issue("legal basis", "document without a number", tail))
    return tuple(documents), tuple(issues)
