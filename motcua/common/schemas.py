"""The error body of the JSON API, as documented in its OpenAPI schema.

Every error the API answers has this shape (see motcua.config.api); `error_responses` lets an
operation document the statuses it may answer besides 400 and 401, which the API adds itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, WithJsonSchema

# A time of day in legal time, as office hours and cut-off times are written ("07:30:00").
# JSON Schema's `format: time` is RFC 3339's full-time, which requires an offset: a client that
# validates answers (Schemathesis did) would refuse every one.
LocalTime = Annotated[
    dt.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
            "description": "Time of day in Vietnamese legal time (Asia/Ho_Chi_Minh), no offset",
        }
    ),
]


class FieldErrorOut(Schema):
    field: str = Field(description="The parameter or body field, dotted for nested ones")
    reason: str = Field(description="Why it was refused, translated")


class ErrorOut(Schema):
    """An error; clients branch on `code`. Some codes add their own keys (documented per code)."""

    # Error-specific keys (`missing`, `expected`, `file`, …) are part of the contract too.
    model_config = ConfigDict(extra="allow")

    result: Literal["error"]
    code: str = Field(description="Stable, never translated: BAD_REQUEST, NOT_FOUND, …")
    msg: str = Field(description="Translated to the request's language")
    errors: list[FieldErrorOut] = Field(
        default_factory=list, description="The inputs refused; present for input errors only"
    )


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """`{status: ErrorOut}` for a route's `response=`, for the errors it may answer.

    400 (operations with input) and 401 (operations that need a login) are added to the schema
    for every operation by the API itself.
    """
    return dict.fromkeys(statuses, ErrorOut)
