"""The input rule every entry point applies: text the database can store, instants it can hold.

PostgreSQL refuses two things Python accepts, and refuses them with an error the caller caused but
the server would answer as a 500:

- a NUL character (U+0000) in text: no PostgreSQL text type can hold it; an unpaired surrogate
  (U+D800–U+DFFF, which JSON can spell as `\\ud800`) cannot be encoded to UTF-8 at all;
- a time-zone offset beyond ±15:59: Python's datetimes allow up to ±23:59, PostgreSQL's
  `timestamptz` input up to ±15:59. No real zone is past ±14:00, so nothing legitimate is lost.

`motcua.web.guards.RequestGuardMiddleware` applies the text rule to every request (path, query,
headers, form fields, file names, JSON) before any view runs; the instant rule is applied where a
date-time is parsed: `Instant` in API schemas, `parse_instant` in code that parses a string, and
`validate_instant_offset` on HTML form fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from pydantic import AfterValidator

from motcua.common.errors import InvalidInputError

# PostgreSQL's limit for a time-zone displacement in timestamptz input.
MAX_OFFSET = dt.timedelta(hours=15, minutes=59)


def is_storable_text(text: str) -> bool:
    """False for text holding a NUL character or an unpaired surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable_text_reason() -> str:
    return gettext("contains a character that is not allowed (NUL or an unpaired surrogate).")


def unstorable_json_fields(value: Any, path: str = "") -> Iterator[str]:
    """The dotted paths of every string (key or value) in parsed JSON that breaks the rule."""
    if isinstance(value, str):
        if not is_storable_text(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if not is_storable_text(str(key)):
                yield path or "body"
            else:
                yield from unstorable_json_fields(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unstorable_json_fields(item, f"{path}.{index}" if path else str(index))


def offset_in_range(moment: dt.datetime) -> bool:
    offset = moment.utcoffset()
    return offset is None or abs(offset) <= MAX_OFFSET


def offset_reason() -> str:
    return gettext("the time-zone offset must be between -15:59 and +15:59.")


def _check_offset(moment: dt.datetime) -> dt.datetime:
    if not offset_in_range(moment):
        raise ValueError(offset_reason())
    return moment


# A date-time parameter or body field of the API.
Instant = Annotated[dt.datetime, AfterValidator(_check_offset)]


def parse_instant(raw: object, *, field: str) -> dt.datetime:
    """An ISO 8601 date-time (naive if it has no offset). Raises InvalidInputError(field)."""
    try:
        moment = dt.datetime.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInputError(field, gettext("an ISO 8601 date-time.")) from None
    if not offset_in_range(moment):
        raise InvalidInputError(field, offset_reason())
    return moment


def validate_instant_offset(moment: dt.datetime | None) -> None:
    """Django form validator: Django's DateTimeField parses ISO 8601 offsets up to ±23:59."""
    if moment is not None and not offset_in_range(moment):
        raise ValidationError(offset_reason(), code="offset")
