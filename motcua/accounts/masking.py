"""Masking of personal ID numbers wherever text leaves the database (logs, lists, errors)."""

from __future__ import annotations

import logging
import re

_ID12 = re.compile(r"(?<!\d)(\d{4})\d{6}(\d{2})(?!\d)")


def mask_personal_id(number: str) -> str:
    """`035199000123` -> `0351******23`: enough to recognise, not enough to reuse."""
    number = number.strip()
    if len(number) <= 6:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 6) + number[-2:]


def mask_ids_in_text(text: str) -> str:
    return _ID12.sub(lambda m: m.group(1) + "******" + m.group(2), text)


class MaskPersonalIdFilter(logging.Filter):
    """Rewrites any 12-digit run in a log record, however it got there."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_ids_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
