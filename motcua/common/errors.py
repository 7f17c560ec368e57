"""The base of every business-rule error, and the codes clients branch on.

Code below the HTTP layer raises a DomainError; the API handler and the HTML middleware turn
it into a response. The message is translated; `code` is stable and never translated.

An error about the caller's input also names the input it refuses, in `errors`: a list of
`{"field", "reason"}`, the same list the API gives for a request that fails validation, so a
client reads every input error one way.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext


class DomainError(Exception):
    code: ClassVar[str] = "DOMAIN_ERROR"
    http_status: ClassVar[int] = 400
    data_fields: ClassVar[tuple[str, ...]] = ()

    @staticmethod
    def msg_format() -> str:
        return gettext("The request could not be carried out.")

    def data(self) -> dict[str, Any]:
        """The values the message is formatted with."""
        return {name: getattr(self, name) for name in self.data_fields}

    def input_errors(self) -> list[dict[str, str]]:
        """The inputs refused and why, for the response's `errors`; empty if input is not
        the cause."""
        return []

    def extra(self) -> dict[str, Any]:
        """Error-specific keys of the response besides `errors`: by default all of data()."""
        return self.data()

    @property
    def msg(self) -> str:
        return self.msg_format().format(**self.data())

    def __str__(self) -> str:
        return self.msg

    def to_dict(self) -> dict[str, Any]:
        body = {"result": "error", "code": self.code, "msg": self.msg, **self.extra()}
        errors = self.input_errors()
        if errors:
            body["errors"] = errors
        return body


class InvalidInputError(DomainError):
    """Bad input from the caller: `field` names what is wrong, `reason` says why (translated).

    Both travel in the response's `errors` only, like a validation error's.
    """

    code = "BAD_REQUEST"
    http_status = 400
    data_fields = ("field", "reason")

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field, self.reason = field, reason

    @staticmethod
    def msg_format() -> str:
        return gettext("Invalid value for {field}: {reason}")

    def input_errors(self) -> list[dict[str, str]]:
        return [{"field": self.field, "reason": self.reason}]

    def extra(self) -> dict[str, Any]:
        return {}


class NotFoundError(DomainError):
    code = "NOT_FOUND"
    http_status = 404
    data_fields = ("what", "key")

    def __init__(self, what: str, key: str) -> None:
        super().__init__(what, key)
        self.what, self.key = what, key

    @staticmethod
    def msg_format() -> str:
        return gettext("No {what} with the identifier {key}.")
