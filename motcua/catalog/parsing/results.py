"""Results ("Kết quả thực hiện"): the documents an applicant receives, with their codes.

The cell reads "<name>Mã: <code><name>Mã: <code>…Từ khóa<keywords>Mô tả<description>" and the
scrape caught the portal's agency picker after it ("Chọn cơ quan thực hiện…Nộp hồ sơ"), which
is page furniture, not data, and is dropped. Codes look like "KQ.G15.000031",
"000.00.00.G04-KQ003510" or "TP-G11.0000001"; they always end in digits, which is where the
next name, glued on, begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.catalog.parsing.issues import make_issue
from motcua.catalog.parsing.text import (
    LOWER,
    UPPER,
    clean_block,
    clean_inline,
    without_placeholder,
)


@dataclass(frozen=True)
class ResultDoc:
    name: str
    code: str | None


_PORTAL_FURNITURE = "Chọn cơ quan thực hiện"
_KEYWORDS = "Từ khóa"
_DESCRIPTION = "Mô tả"
_CODE_LABEL = "Mã:"
# Dot- or dash-separated parts, the last one ending in a digit.
_CODE = re.compile(r"(?:[A-Z0-9]+[.\-])*[A-Z0-9]*\d")
_GLUED_CAPITAL = re.compile(rf"(?<=\S)[{UPPER}](?=[{LOWER}])")
_BULLET = re.compile(r"^[-+*•]+\s*")


@dataclass(frozen=True)
class ResultsCell:
    results: tuple[ResultDoc, ...]
    note: str  # the "Mô tả" text: validity periods and the like
    issues: tuple[str, ...]


def _name(text: str) -> str:
    return _BULLET.sub("", clean_inline(text)).strip()


def parse_results(raw: str) -> ResultsCell:
    """Read the result documents and the note; drop the portal's agency picker."""
    text = clean_block(raw)
    text = text.split(_PORTAL_FURNITURE, 1)[0]
    note = ""
    keywords_at = text.rfind(_KEYWORDS)
    if keywords_at >= 0:
        tail = text[keywords_at + len(_KEYWORDS) :]
        text = text[:keywords_at]
        _, found, description = tail.partition(_DESCRIPTION)
        note = without_placeholder(clean_block(description)) if found else ""
    # "name1Mã: code1name2Mã: code2": after each "Mã:" comes a code, then the next name.
    pieces = text.split(_CODE_LABEL)
    results: list[ResultDoc] = []
    issues: list[str] = []
    name = _name(pieces[0])
    for piece in pieces[1:]:
        code = _CODE.match(piece.lstrip())
        if code is None:
            # Junk codes exist ("Mã: Chưa xác định", test entries such as "hgvg6"); the next
            # name, if any, starts at a capital glued to the junk.
            issues.append(make_issue("results", "result code not readable", piece))
            results.append(ResultDoc(name=name, code=None))
            next_name = _GLUED_CAPITAL.search(piece, 1)
            name = _name(piece[next_name.start() :]) if next_name else ""
            continue
        if not name:
            issues.append(make_issue("results", "result code without a name", code.group(0)))
        results.append(ResultDoc(name=name, code=code.group(0)))
        name = _name(piece.lstrip()[code.end() :])
    if name:
        results.append(ResultDoc(name=name, code=None))
        issues.append(make_issue("results", "result without a code", name))
    if not results:
        issues.append(make_issue("results", "none listed"))
    return ResultsCell(results=tuple(results), note=note, issues=tuple(issues))
