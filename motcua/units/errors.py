"""Errors of the unit register."""

from __future__ import annotations

from django.utils.translation import gettext

from motcua.common.errors import DomainError


class UnitDataError(DomainError):
    """The unit data file contradicts itself; nothing was loaded."""

    code = "UNIT_DATA_INVALID"
    http_status = 400
    data_fields = ("detail",)

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    @staticmethod
    def msg_format() -> str:
        return gettext("The administrative unit data is invalid: {detail}")
