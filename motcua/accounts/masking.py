"""Masking of personal ID numbers wherever text leaves the database (logs, lists, errors).

A personal ID number plus a name is enough to impersonate someone over the phone, so only the
masked form (`0351******23`) is ever displayed or logged. The first four digits (place and
century/sex) and the last two are kept: enough for an official to tell two records apart and
for a citizen to recognise their own, not enough to reuse.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_ID12 = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{6}([0-9]{2})(?![0-9])")

# Attributes every LogRecord has; anything else came in through `extra=` and is masked too.
_STANDARD_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__
) | {"message", "asctime"}


def mask_personal_id(number: str) -> str:
    """`035199000123` -> `0351******23`: enough to recognise, not enough to reuse."""
    number = number.strip()
    if len(number) <= 6:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 6) + number[-2:]


def mask_ids_in_text(text: str) -> str:
    """Mask every run of exactly 12 digits, however it got into the text.

    13-digit branch tax codes and 10-digit phone numbers are left alone: only the 12-digit
    shape of a personal ID is matched.
    """
    return _ID12.sub(lambda m: m.group(1) + "******" + m.group(2), text)


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_ids_in_text(value)
    return value


class MaskPersonalIdFilter(logging.Filter):
    """Rewrites any 12-digit run in a log record: message, `extra` values and tracebacks.

    Tracebacks matter: PostgreSQL puts the duplicate key in an IntegrityError ("Key
    (personal_id)=(035199000123) already exists"), so the formatted exception is masked and
    cached in `exc_text`, which the formatter then prints instead of formatting it again.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_ids_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        for name, value in list(record.__dict__.items()):
            if name not in _STANDARD_RECORD_ATTRIBUTES:
                setattr(record, name, _mask_value(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_ids_in_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_ids_in_text(record.stack_info)
        return True
