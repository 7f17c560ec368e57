"""Errors of slips and registers; each becomes a JSON error with its code and HTTP status."""

from __future__ import annotations

from django.utils.translation import gettext

from motcua.common.errors import DomainError


class SlipNotAvailableError(DomainError):
    """An unknown kind, or a slip the dossier has no reason for yet (a refusal slip for a
    dossier never refused): 404, like a dossier that is not yours."""

    code = "NOT_FOUND"
    http_status = 404
    data_fields = ("dossier", "kind")

    def __init__(self, dossier: str, kind: str) -> None:
        super().__init__(dossier, kind)
        self.dossier, self.kind = dossier, kind

    @staticmethod
    def msg_format() -> str:
        return gettext("Dossier {dossier} has no slip of kind {kind}.")


class RegisterForbiddenError(DomainError):
    code = "FORBIDDEN"
    http_status = 403
    data_fields = ("agency",)

    def __init__(self, agency: str) -> None:
        super().__init__(agency)
        self.agency = agency

    @staticmethod
    def msg_format() -> str:
        return gettext("Only officials of agency {agency} may read its dossier register.")
