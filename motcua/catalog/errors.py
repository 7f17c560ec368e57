"""Errors of the procedure catalogue."""

from __future__ import annotations

from django.utils.translation import gettext

from motcua.common.errors import DomainError


class ProcessOverBudgetError(DomainError):
    """The internal process would take longer than the law allows."""

    code = "PROCESS_OVER_BUDGET"
    http_status = 400
    data_fields = ("total_hours", "limit_hours")

    def __init__(self, total_hours: str, limit_hours: str) -> None:
        super().__init__(total_hours, limit_hours)
        self.total_hours, self.limit_hours = total_hours, limit_hours

    @staticmethod
    def msg_format() -> str:
        return gettext(
            "The process steps take {total_hours} working hours in all, more than the legal "
            "time limit of {limit_hours} working hours. Shorten the steps."
        )


class ProcessInvalidError(DomainError):
    code = "PROCESS_INVALID"
    http_status = 400
    data_fields = ("reason",)

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @staticmethod
    def msg_format() -> str:
        return gettext("The process is not valid: {reason}")


class VersionNotEditableError(DomainError):
    code = "VERSION_NOT_EDITABLE"
    http_status = 409
    data_fields = ("version",)

    def __init__(self, version: str) -> None:
        super().__init__(version)
        self.version = version

    @staticmethod
    def msg_format() -> str:
        return gettext(
            "Version {version} is published and cannot be changed; create a draft from it."
        )


class CatalogueFileError(DomainError):
    code = "CATALOGUE_FILE_INVALID"
    http_status = 400
    data_fields = ("file", "detail")

    def __init__(self, file: str, detail: str) -> None:
        super().__init__(file, detail)
        self.file, self.detail = file, detail

    @staticmethod
    def msg_format() -> str:
        return gettext("The catalogue file {file} cannot be read: {detail}")
