"""Processing time limits ("Thời hạn giải quyết").

The portal's time cell is normally "<number> <unit>" ("3 Ngày làm việc", "0.5 Ngày làm việc",
"4 Giờ"), but it can be a bare number whose unit was never entered, a placeholder, or prose
("Không quá 05 ngày làm việc kể từ…"). Working days and calendar days are different legal
deadlines (worktime counts them differently), so a value whose unit is unknown is kept with
unit UNKNOWN rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from motcua.worktime.limits import TimeUnit


@dataclass(frozen=True)
class TimeLimit:
    """A time limit as published. `value` is None for SAME_DAY and when nothing was readable.

    `from_description` is True when the time cell lacked the limit or its unit and the rest was
    read from the channel's description or the steps text (only when those are unambiguous).
    """

    value: Decimal | None
    unit: TimeUnit
    text: str
    from_description: bool = False

    @property
    def is_known(self) -> bool:
        return self.unit is not TimeUnit.UNKNOWN


_UNIT_WORDS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "ngày": TimeUnit.DAYS,
    "giờ làm việc": TimeUnit.HOURS,
    "giờ": TimeUnit.HOURS,
    "tháng": TimeUnit.MONTHS,
    "năm": TimeUnit.YEARS,
}

# "<number> [(<number in words>)] <unit>", e.g. "3 Ngày làm việc", "0,5 ngày", "05 (năm) ngày
# làm việc"; an optional "đến"/"-" range keeps the upper bound, because the upper bound is the
# legal limit. Longer unit words come first so that "ngày làm việc" beats "ngày".
_NUMBER = r"\d+(?:[.,]\d+)?"
_AMOUNT_OF_TIME = re.compile(
    rf"(?<![\d/.,])(?:{_NUMBER}\s*(?:-|–|đến)\s*)?(?P<value>{_NUMBER})\s*(?:\([^()\d]{{1,20}}\)\s*)?"
    # Not followed by a digit: "ngày 09 tháng 11 năm 2016" is a date, not 9 months and 11 years.
    r"(?P<unit>ngày làm việc|ngày|giờ làm việc|giờ|tháng|năm)(?!\s*\d)",
    re.IGNORECASE,
)
# "Trong ngày", "ngay trong ngày", "trả kết quả trong ngày làm việc": the same day.
_SAME_DAY = re.compile(r"\btrong (?:ngày|ngày làm việc)\b(?!\s*(?:\d|thứ|kể|,))", re.IGNORECASE)
_BARE_NUMBER = re.compile(rf"^\s*(?P<value>{_NUMBER})\s*$")


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def parse_time_limit(text: str) -> TimeLimit:
    """Read a time cell. Returns unit UNKNOWN (and the raw text) when no unit can be found."""
    text = text.strip()
    found = _AMOUNT_OF_TIME.search(text)
    if found:
        unit = _UNIT_WORDS[found["unit"].lower()]
        return TimeLimit(value=_decimal(found["value"]), unit=unit, text=text)
    if _SAME_DAY.search(text):
        return TimeLimit(value=None, unit=TimeUnit.SAME_DAY, text=text)
    bare = _BARE_NUMBER.match(text)
    value = _decimal(bare["value"]) if bare else None
    return TimeLimit(value=value, unit=TimeUnit.UNKNOWN, text=text)


def single_time_limit_in(description: str) -> TimeLimit | None:
    """The time limit a description states, if it states exactly one distinct limit.

    Descriptions often list several limits (first and second complaint, simple and complex
    cases, each step); picking one of those would be a guess, so then there is no answer.
    """
    found = list(_AMOUNT_OF_TIME.finditer(description))
    limits = {(_decimal(m["value"]), _UNIT_WORDS[m["unit"].lower()]) for m in found}
    if len(limits) != 1:
        return None
    ((value, unit),) = limits
    return TimeLimit(value=value, unit=unit, text=found[0].group(0), from_description=True)


# Wording that makes a number in running text a processing time limit: "trong thời hạn 02 ngày
# làm việc", "không quá 05 ngày", "… 17 ngày làm việc kể từ ngày nhận được hồ sơ".
_DEADLINE_BEFORE = re.compile(
    r"(?:thời hạn|trong vòng|không quá|tối đa)\W*(?:là\W*)?$", re.IGNORECASE
)
_DEADLINE_AFTER = re.compile(r"\W*kể từ (?:ngày|khi|thời điểm) (?:nhận|tiếp nhận)", re.IGNORECASE)
_CONTEXT = 40


def _is_deadline(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - _CONTEXT) : match.start()]
    return bool(_DEADLINE_BEFORE.search(before) or _DEADLINE_AFTER.match(text, match.end()))


# A same-day procedure as its steps word it: the result given "ngay trong ngày" (that very day),
# or, for a dossier received after the cut-off hour, "trong ngày làm việc tiếp theo" (the next
# working day: DOMAIN.md §2.1.5), as civil-status procedures say "nếu tiếp nhận hồ sơ sau 15 giờ
# thì … trả kết quả cho người yêu cầu trong ngày làm việc tiếp theo". Only the result's own
# wording counts: "gửi cho cơ quan thuế ngay trong ngày lập chứng từ" is the applicant's duty.
_SAME_DAY_RESULT = re.compile(
    r"(?:trả kết quả|cung cấp|giải quyết)[^.;]{0,40}?\bngay trong ngày\b"
    r"|\bsau \d{1,2} giờ[^.;]{0,120}?\btrong ngày làm việc tiếp theo\b",
    re.IGNORECASE,
)


def states_same_day_result(text: str) -> bool:
    """True when `text` says the result is given on the day the dossier is received."""
    return bool(_SAME_DAY_RESULT.search(text))


def unit_stated_for(value: Decimal, text: str, *, deadline_only: bool = False) -> TimeUnit | None:
    """The unit `text` gives to the number `value`, if it gives exactly one.

    A time cell holding "2" without a unit is completed by the steps saying "trong thời hạn
    02 ngày làm việc"; if the text also says "2 ngày" elsewhere, the unit stays unknown. With
    `deadline_only`, only numbers worded as a processing deadline count: steps texts also carry
    frequencies ("01 năm một lần") and the applicant's own deadlines ("chậm nhất 01 ngày").
    """
    units = {
        _UNIT_WORDS[m["unit"].lower()]
        for m in _AMOUNT_OF_TIME.finditer(text)
        if _decimal(m["value"]) == value and (not deadline_only or _is_deadline(text, m))
    }
    return units.pop() if len(units) == 1 else None


def single_deadline_from_receipt_in(steps: str) -> TimeLimit | None:
    """The processing deadline the steps text states, counted from the receipt of the dossier
    ("… trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ sơ"), when every deadline the text
    states is that same one (steps with deadlines of their own would each be only a part).

    Only for a time cell the portal left empty: the steps then say what the limit is. Deadlines
    counted from anything else (a report, a decision, a payment, the end of another period), and
    the deadline to ask for a supplement, belong to other steps or to the applicant and are not
    read.
    """
    deadlines = [m for m in _AMOUNT_OF_TIME.finditer(steps) if _is_deadline(steps, m)]
    if not any(_is_processing_deadline(steps, m) for m in deadlines):
        return None
    limits = {(_decimal(m["value"]), _UNIT_WORDS[m["unit"].lower()]) for m in deadlines}
    if len(limits) != 1:  # one deadline per step: the procedure's limit is not among them
        return None
    ((value, unit),) = limits
    return TimeLimit(value=value, unit=unit, text="", from_description=True)


# "… kể từ ngày nhận (được) (đủ) hồ sơ (hợp lệ)": counted from the receipt of the applicant's
# dossier; not "hồ sơ của Sở …", "hồ sơ từ Chủ tịch …", a dossier passed on between agencies.
_FROM_RECEIPT_OF_THE_DOSSIER = re.compile(
    r"\W*kể từ (?:ngày|khi|thời điểm) (?:nhận|tiếp nhận)(?: được)?(?: đủ)? hồ sơ"
    r"(?! (?:của|do|từ|trình)\b)",
    re.IGNORECASE,
)


def _is_processing_deadline(steps: str, match: re.Match[str]) -> bool:
    sentence_start = max(steps.rfind(".", 0, match.start()), steps.rfind(";", 0, match.start()))
    sentence = steps[sentence_start + 1 : match.start()]
    return bool(_FROM_RECEIPT_OF_THE_DOSSIER.match(steps, match.end())) and (
        "bổ sung" not in sentence.lower()
    )
