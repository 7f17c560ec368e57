"""Errors of the dossier engine; each becomes a JSON error with its code and HTTP status."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from motcua.common.errors import DomainError


class DossierNotFoundError(DomainError):
    """Same error for "does not exist" and "not yours", so codes cannot be probed."""

    code = "NOT_FOUND"
    http_status = 404
    data_fields = ("dossier",)

    def __init__(self, dossier: str) -> None:
        super().__init__(dossier)
        self.dossier = dossier

    @staticmethod
    def msg_format() -> str:
        return gettext("No dossier {dossier} that you may see.")


class ActionNotAllowedError(DomainError):
    code = "ACTION_NOT_ALLOWED"
    http_status = 409
    data_fields = ("action", "stage")

    def __init__(self, action: str, stage: str) -> None:
        super().__init__(action, stage)
        self.action, self.stage = action, stage

    @staticmethod
    def msg_format() -> str:
        return gettext("The action {action} is not possible while the dossier is {stage}.")


class NotPermittedError(DomainError):
    code = "FORBIDDEN"
    http_status = 403
    data_fields = ("action",)

    def __init__(self, action: str) -> None:
        super().__init__(action)
        self.action = action

    @staticmethod
    def msg_format() -> str:
        return gettext("You do not have the role needed for {action} on this dossier.")


class ConflictError(DomainError):
    code = "CONFLICT"
    http_status = 409
    data_fields = ("expected", "actual")

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(expected, actual)
        self.expected, self.actual = expected, actual

    @staticmethod
    def msg_format() -> str:
        return gettext(
            "Someone else changed this dossier meanwhile (version {actual}, you had {expected}). "
            "Reload it and try again."
        )


class DocumentsMissingError(DomainError):
    code = "DOCUMENTS_MISSING"
    http_status = 400
    data_fields = ("missing",)

    def __init__(self, missing: list[str]) -> None:
        super().__init__(missing)
        self.missing = missing

    @staticmethod
    def msg_format() -> str:
        return gettext("Required documents are missing: {missing}.")

    @property
    def msg(self) -> str:
        return self.msg_format().format(missing="; ".join(self.missing))


class RescheduleRefusedError(DomainError):
    code = "RESCHEDULE_REFUSED"
    http_status = 409
    data_fields = ("dossier",)

    def __init__(self, dossier: str) -> None:
        super().__init__(dossier)
        self.dossier = dossier

    @staticmethod
    def msg_format() -> str:
        return gettext(
            "Dossier {dossier} was already rescheduled once; the law allows one new date only."
        )


class UploadRefusedError(DomainError):
    code = "UPLOAD_REFUSED"
    http_status = 400
    data_fields = ("file", "reason")

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(file, reason)
        self.file, self.reason = file, reason

    @staticmethod
    def msg_format() -> str:
        return gettext("The file {file} was not accepted: {reason}")

    def input_errors(self) -> list[dict[str, str]]:
        return [{"field": "file", "reason": self.reason}]

    def extra(self) -> dict[str, Any]:
        # The file's name stays at the top level: the client may have sent several.
        return {"file": self.file}
