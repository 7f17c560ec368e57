"""Submission channels ("Cách thức thực hiện"): counter, online, post.

The portal's table is glued into one string: the header "Hình thức nộpThời gianPhí, lệ phíMô
tả", then per row the channel name, the time cell, the fee cell and the description, with no
separators. A row starts where a channel name is glued to the next cell ("Trực tiếp3 Ngày…");
the same words inside a description are followed by a space or a colon ("+ Trực tiếp: nộp…"),
which is how the two are told apart. A channel can appear more than once (one row per case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from motcua.catalog.parsing.fees import FEE_CELL_START, FeeLine, fees_stated_in, read_fee_cell
from motcua.catalog.parsing.issues import make_issue
from motcua.catalog.parsing.text import NO_INFO, clean_block, without_placeholder
from motcua.catalog.parsing.time_limits import (
    TimeLimit,
    TimeUnit,
    parse_time_limit,
    single_deadline_from_receipt_in,
    single_time_limit_in,
    states_same_day_result,
    unit_stated_for,
)


class ChannelKind(StrEnum):
    COUNTER = "counter"
    ONLINE = "online"
    POST = "post"


@dataclass(frozen=True)
class Channel:
    """One row of the table. `fees_stated` is False when the portal has no fee information;
    `is_free` is True only when fees are stated and every line is free."""

    kind: ChannelKind
    time_limit: TimeLimit
    fees: tuple[FeeLine, ...]
    fees_stated: bool
    is_free: bool
    description: str


_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_KINDS = {
    "Trực tiếp": ChannelKind.COUNTER,
    "Trực tuyến": ChannelKind.ONLINE,
    "Dịch vụ bưu chính": ChannelKind.POST,
}
# A channel name glued to the next cell (a letter or digit follows at once), or ending the text.
_ROW_START = re.compile(r"(?P<name>Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=[^\W_]|$)")
# The usual time cell: "3 Ngày làm việc", "0.5 Ngày làm việc", "4 Giờ", "6 Tháng".
_TIME_CELL = re.compile(
    r"(?P<value>\d+(?:[.,]\d+)?) ?(?P<unit>Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm)",
    re.IGNORECASE,
)
# A time cell holding a number without its unit, glued to a fee cell that starts with a word.
_BARE_TIME_CELL = re.compile(
    r"(?P<value>\d+(?:[.,]\d+)?)(?=Miễn phí|Không có thông tin|Phí|Lệ phí)"
)
# A bare number run into a fee amount: "120 VNĐ(20.000 đ/tờ khai)" is time "1" and fee "20"
# (every such row of the July 2026 catalogue that has a note agrees); these time cells are one
# digit, so the split is after the first digit. It stays a guess and is reported.
_BARE_TIME_RUN_INTO_AMOUNT = re.compile(r"(?P<value>\d)(?=\d[\d,]*\s?(?:Việt Nam Đồng|VNĐ|USD))")
_LOOKAHEAD_FOR_FEES = 300


@dataclass(frozen=True)
class _TimeCell:
    limit: TimeLimit
    rest: str
    issues: tuple[str, ...] = ()
    empty: bool = False  # the portal said it has no information


def _read_time_cell(body: str, label: str) -> _TimeCell:
    if found := _TIME_CELL.match(body):
        return _TimeCell(parse_time_limit(found.group(0)), body[found.end() :])
    if body.startswith(NO_INFO):
        return _TimeCell(TimeLimit(None, TimeUnit.UNKNOWN, ""), body[len(NO_INFO) :], empty=True)
    if found := _BARE_TIME_CELL.match(body):
        return _TimeCell(parse_time_limit(found.group(0)), body[found.end() :])
    if found := _BARE_TIME_RUN_INTO_AMOUNT.match(body):
        issue = make_issue("fees", "fee amount run into the time cell", f"{label}: {body[:30]}")
        return _TimeCell(parse_time_limit(found.group(0)), body[found.end() :], (issue,))
    # Prose in the time cell: it runs to the start of the fee cell.
    fee_start = FEE_CELL_START.search(body, 0, _LOOKAHEAD_FOR_FEES)
    end = fee_start.start() if fee_start else 0
    return _TimeCell(parse_time_limit(body[:end]), body[end:])


def _settle_time_limit(
    cell: _TimeCell, description: str, steps: str, label: str
) -> tuple[TimeLimit, list[str]]:
    """Complete a time cell from the texts around it when they are unambiguous; else flag.

    An empty cell takes the one limit the description states. A number without a unit takes
    the unit that the description, or else a deadline in the steps text, gives to that number.
    """
    limit = cell.limit
    if limit.is_known:
        return limit, []
    if cell.empty:
        stated = (
            single_time_limit_in(description)
            or single_deadline_from_receipt_in(steps)
            or _same_day_in(limit, description, steps)
        )
        if stated is not None:
            return stated, []
        return limit, [make_issue("time limit", "not stated", label)]
    if limit.value is None:
        return limit, [make_issue("time limit", "not readable", f"{label}: {limit.text}")]
    if completed := _unit_from_texts(limit, limit.value, description, steps):
        return completed, []
    return limit, [make_issue("time limit", "number without a unit", f"{label}: {limit.text}")]


def _unit_from_texts(
    limit: TimeLimit, value: Decimal, description: str, steps: str
) -> TimeLimit | None:
    """The unit the row's description, or else a deadline in the steps text, gives to `value`;
    or the same day for a "1" whose result the texts say is given the same day (a one-day
    limit is what the portal's numeric cell can hold for "trong ngày")."""
    unit = unit_stated_for(value, description) or unit_stated_for(value, steps, deadline_only=True)
    if unit is not None:
        return TimeLimit(value, unit, limit.text, from_description=True)
    return _same_day_in(limit, description, steps) if value == 1 else None


def _same_day_in(limit: TimeLimit, description: str, steps: str) -> TimeLimit | None:
    """A same-day limit when the texts say the result is given the day of receipt."""
    if states_same_day_result(description) or states_same_day_result(steps):
        return TimeLimit(None, TimeUnit.SAME_DAY, limit.text, from_description=True)
    return None


def _complete_from_other_rows(
    rows: list[tuple[Channel, list[str]]],
) -> list[tuple[Channel, list[str]]]:
    """Complete a row's time limit from the other rows of the same table, when they agree.

    A channel whose time cell is empty takes the limit every other row states, if they all state
    the same one; a number without a unit takes the unit the other rows give to that same
    number, if they give one. The rows of one table publish one procedure's limit, channel by
    channel; when the rows differ, nothing is guessed and the review flag stays.
    """
    stated: set[tuple[Decimal | None, TimeUnit]] = {
        (channel.time_limit.value, channel.time_limit.unit)
        for channel, _issues in rows
        if channel.time_limit.is_known
    }
    completed = []
    for channel, issues in rows:
        limit = channel.time_limit
        candidates = set()
        if not limit.is_known and limit.value is None and not limit.text:
            candidates = stated
        elif not limit.is_known and limit.value is not None:
            candidates = {(value, unit) for value, unit in stated if value == limit.value}
        if len(candidates) != 1:
            completed.append((channel, issues))
            continue
        ((value, unit),) = candidates
        taken = TimeLimit(value, unit, limit.text, from_description=True)
        kept = [issue for issue in issues if not issue.startswith("time limit: ")]
        completed.append((replace(channel, time_limit=taken), kept))
    return completed


def _read_row(name: str, body: str, steps: str) -> tuple[Channel, list[str]]:
    """One row and its issues (the time limit's first, then the fees')."""
    label = name
    time_cell = _read_time_cell(body, label)
    fee_cell = read_fee_cell(time_cell.rest)
    description = without_placeholder(clean_block(fee_cell.rest))
    limit, issues = _settle_time_limit(time_cell, description, steps, label)
    fees, fee_issues = fee_cell.fees, list(fee_cell.issues)
    if not fee_cell.stated and not fee_issues:
        # An empty fee cell, but the description lists "Lệ phí : 20.000 Đồng (…)" lines.
        fees, fee_issues = fees_stated_in(description)
    stated = bool(fees) or fee_cell.stated
    channel = Channel(
        kind=_KINDS[name],
        time_limit=limit,
        fees=fees,
        fees_stated=stated,
        is_free=stated and bool(fees) and all(fee.is_free for fee in fees),
        description=description,
    )
    return channel, [*time_cell.issues, *issues, *fee_issues]


def parse_channels(raw: str, *, steps: str = "") -> tuple[tuple[Channel, ...], tuple[str, ...]]:
    """Split the glued table into channels; returns the channels and the issues found.

    `steps` is the procedure's steps text, used only to complete a time cell that lacks its unit.
    """
    text = without_placeholder(clean_block(raw))
    if not text:
        return (), (make_issue("channels", "none listed"),)
    issues: list[str] = []
    if text.startswith(_HEADER):
        text = text[len(_HEADER) :]
    else:
        issues.append(make_issue("channels", "table header missing", text))
    starts = list(_ROW_START.finditer(text))
    if not starts:
        issues.append(make_issue("channels", "no channel recognised", text))
        return (), tuple(issues)
    if preamble := text[: starts[0].start()].strip():
        issues.append(make_issue("channels", "text before the first channel", preamble))
    rows = [
        _read_row(start["name"], text[start.end() : end], steps)
        for start, end in zip(starts, [s.start() for s in starts[1:]] + [len(text)], strict=True)
    ]
    rows = _complete_from_other_rows(rows)
    for _channel, row_issues in rows:
        issues.extend(row_issues)
    return tuple(channel for channel, _issues in rows), tuple(issues)
