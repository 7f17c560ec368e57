"""The base of every business-rule error, and the codes clients branch on.

Code below the HTTP layer raises a DomainError; the API handler and the HTML middleware turn
it into a response. The message is translated; `code` is stable and never translated.
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
        return {name: getattr(self, name) for name in self.data_fields}

    @property
    def msg(self) -> str:
        return self.msg_format().format(**self.data())

    def __str__(self) -> str:
        return self.msg

    def to_dict(self) -> dict[str, Any]:
        return {"result": "error", "code": self.code, "msg": self.msg, **self.data()}


class InvalidInputError(DomainError):
    """Bad input from the caller: `field` names what is wrong, `reason` says why (translated)."""

    code = "BAD_REQUEST"
    http_status = 400
    data_fields = ("field", "reason")

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field, self.reason = field, reason

    @staticmethod
    def msg_format() -> str:
        return gettext("Invalid value for {field}: {reason}")


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
