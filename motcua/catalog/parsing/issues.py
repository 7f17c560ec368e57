"""One shape for the review notes the parser attaches to a record.

An issue reads "<part>: <reason>" with an optional " [<detail>]" quoting the text concerned, so
that the coverage report can count issues by reason (the text before the bracket) while a
reviewer still sees which cell was at fault.
"""

from __future__ import annotations

_DETAIL_LENGTH = 80


def make_issue(part: str, reason: str, detail: str = "") -> str:
    """Build an issue; long details are cut, they only need to locate the cell."""
    text = f"{part}: {reason}"
    if detail:
        detail = " ".join(detail.split())
        if len(detail) > _DETAIL_LENGTH:
            detail = detail[: _DETAIL_LENGTH - 1] + "…"
        text += f" [{detail}]"
    return text


def issue_reason(issue: str) -> str:
    """The issue without its detail: what the coverage report groups by."""
    head, bracket, _ = issue.partition(" [")
    return head if bracket else issue
