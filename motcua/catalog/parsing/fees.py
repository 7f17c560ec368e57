"""Fee and charge cells ("Phí, lệ phí") of a submission channel.

The portal prints each fee line as "<amount> <currency>" with comma thousands ("1,200,000 Việt
Nam Đồng", "150 VNĐ", "145 USD") or "Miễn phí", optionally followed at once by a parenthesised
note, and then the channel's description with no separator. Amounts in prose use dot thousands
("50.000 đồng"); that difference is what tells the fee cell from the description after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from motcua.catalog.parsing.issues import make_issue
from motcua.catalog.parsing.text import NO_INFO

FREE = "Miễn phí"


@dataclass(frozen=True)
class FeeLine:
    """One fee line. A free line has amount_vnd 0; a foreign-currency line has amount_vnd None.

    `amount_vnd` is None as well when the portal names a fee without its amount ("Phí : Đồng").
    """

    text: str
    amount_vnd: int | None
    currency: str = "VND"
    foreign_amount: Decimal | None = None
    note: str = ""

    @property
    def is_free(self) -> bool:
        return self.amount_vnd == 0


@dataclass(frozen=True)
class FeeCell:
    fees: tuple[FeeLine, ...]
    stated: bool  # False when the cell only says the portal has no information
    rest: str  # what follows the cell: the channel description
    issues: tuple[str, ...]


# Portal format: comma thousands, then the currency ("Việt Nam Đồng" / "VNĐ" / "USD"). Digit
# runs are bounded (no fee reaches a trillion dong) so that int() never meets a huge string.
_PORTAL_AMOUNT = re.compile(
    r"(?P<amount>\d{1,3}(?:,\d{3}){1,4}|\d{1,12})\s?(?P<currency>Việt Nam Đồng|VNĐ|USD)"
)
# Older portal format: "Phí : 50.000 Đồng", "Lệ phí : 8.000 Đồng (…)", "Phí : Đồng" (no amount).
_STATED_FEE = re.compile(
    r"(?P<kind>Lệ phí|Phí)\s*:\s*(?P<amount>\d{1,3}(?:\.\d{3}){1,4}|\d{1,12})?\s*Đồng"
)
_FREE = re.compile(re.escape(FREE))
# Where a fee cell can begin, for finding it after a time cell written as prose.
FEE_CELL_START = re.compile(
    rf"{re.escape(FREE)}|{re.escape(NO_INFO)}|{_PORTAL_AMOUNT.pattern}"
    r"|(?:Lệ phí|Phí)\s*:\s*[\d.]*\s*Đồng"
)
# Fees below this are not real: the portal's cell was typed in thousands ("20 VNĐ (20.000 đ/tờ
# khai)"). The smallest fee in the catalogue is 2,000 VND (a health insurance card).
_IMPLAUSIBLY_SMALL_VND = 1_000


def _balanced_parenthesis_end(text: str, start: int) -> int | None:
    """Index just past the parenthesis that closes the one at `start`, or None if unclosed."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _note_at(text: str, position: int) -> tuple[str, int, bool]:
    """A "(…)" note starting at `position` (after optional spaces): (note, end, closed)."""
    index = position
    while index < len(text) and text[index] == " ":
        index += 1
    if index >= len(text) or text[index] != "(":
        return "", position, True
    end = _balanced_parenthesis_end(text, index)
    if end is None:
        return text[index + 1 :].strip(), len(text), False
    return text[index + 1 : end - 1].strip(), end, True


def _thousands_written_in(note: str, amount: int) -> bool:
    """True if the note spells out `amount` thousand dong, e.g. 20 -> "20.000" or "20,000"."""
    return re.search(rf"(?<![\d.,]){amount}[.,]?000(?!\d)", note) is not None


def _vnd_line(text: str, amount: int, note: str) -> tuple[FeeLine, list[str]]:
    issues: list[str] = []
    if 0 < amount < _IMPLAUSIBLY_SMALL_VND:
        if _thousands_written_in(note, amount):
            amount *= 1000
        else:
            issues.append(make_issue("fees", "amount below 1,000 VND, unit doubtful", text))
    return FeeLine(text=text, amount_vnd=amount, note=note), issues


def _read_one(text: str, position: int) -> tuple[FeeLine, int, list[str]] | None:
    """The fee line starting exactly at `position`, if there is one."""
    issues: list[str] = []
    if found := _FREE.match(text, position):
        note, end, closed = _note_at(text, found.end())
        line = FeeLine(text=text[position:end].strip(), amount_vnd=0, note=note)
    elif found := _PORTAL_AMOUNT.match(text, position):
        note, end, closed = _note_at(text, found.end())
        amount = int(found["amount"].replace(",", ""))
        line_text = text[position:end].strip()
        if found["currency"] == "USD":
            line = FeeLine(
                text=line_text,
                amount_vnd=None,
                currency="USD",
                foreign_amount=Decimal(amount),
                note=note,
            )
        else:
            line, issues = _vnd_line(line_text, amount, note)
    elif found := _STATED_FEE.match(text, position):
        note, end, closed = _note_at(text, found.end())
        line_text = text[position:end].strip()
        if found["amount"] is None:
            line = FeeLine(text=line_text, amount_vnd=None, note=note)
            issues.append(make_issue("fees", "fee named without an amount", line_text))
        else:
            line, issues = _vnd_line(line_text, int(found["amount"].replace(".", "")), note)
    else:
        return None
    if not closed:
        issues.append(make_issue("fees", "fee note not closed", line.text))
    return line, end, issues


def read_fee_cell(text: str) -> FeeCell:
    """Read the fee lines at the start of `text`; the rest is returned for the description.

    A cell without any recognisable fee line is reported, and `text` is returned whole as the
    description so that nothing is lost.
    """
    if text.startswith(NO_INFO):
        return FeeCell(fees=(), stated=False, rest=text[len(NO_INFO) :], issues=())
    fees: list[FeeLine] = []
    issues: list[str] = []
    position = 0
    while (read := _read_one(text, position)) is not None:
        line, position, line_issues = read
        fees.append(line)
        issues.extend(line_issues)
    if not fees:
        issues.append(make_issue("fees", "fee cell not readable", text))
        return FeeCell(fees=(), stated=False, rest=text, issues=tuple(issues))
    return FeeCell(fees=tuple(fees), stated=True, rest=text[position:], issues=tuple(issues))


def fees_stated_in(text: str) -> tuple[tuple[FeeLine, ...], list[str]]:
    """Fee lines written out in running text ("- Lệ phí : 20.000 Đồng (…)"), in order."""
    fees: list[FeeLine] = []
    issues: list[str] = []
    for found in _STATED_FEE.finditer(text):
        read = _read_one(text, found.start())
        if read is not None:
            line, _, line_issues = read
            fees.append(line)
            issues.extend(line_issues)
    return tuple(fees), issues
