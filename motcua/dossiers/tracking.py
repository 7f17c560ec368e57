"""Public tracking by dossier code: status and steps, no personal data, rate-limited.

The caller proves a link to the dossier with the last four digits of the applicant's ID number
or tax code; a wrong code and wrong digits give the same answer. Each address may ask a limited
number of times per window, so codes cannot be enumerated (codes are sequential per day).
Statuses and steps are shown by their stable codes, each with a label in the request's language
(`dossiers.labels`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext

from motcua.common.errors import DomainError
from motcua.common.prepared import PreparedRead
from motcua.dossiers.errors import DossierNotFoundError
from motcua.dossiers.labels import STATUS_LABELS, STEP_LABELS
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import read_steps, with_rules
from motcua.dossiers.workflow import Status
from motcua.units.queries import get_agencies
from motcua.web import ratelimit
from motcua.web.clients import client_address


class TooManyRequestsError(DomainError):
    code = "TOO_MANY_REQUESTS"
    http_status = 429
    data_fields = ("retry_after",)

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after  # seconds; also sent as the Retry-After header

    @staticmethod
    def msg_format() -> str:
        return gettext("Too many look-ups from your address. Try again in a few minutes.")


def check_tracking_rate(request: HttpRequest) -> None:
    """Refuse an address that asked more than MOTCUA_TRACK_LIMIT times in the window.

    Counted in the database (motcua.web.ratelimit), so the limit holds across server processes
    and restarts at the cost of one statement per look-up; per client address as
    motcua.web.clients finds it behind trusted proxies.
    """
    verdict = ratelimit.hit(
        f"track:{client_address(request)}",
        limit=settings.MOTCUA_TRACK_LIMIT,
        window_seconds=settings.MOTCUA_TRACK_WINDOW_SECONDS,
    )
    if not verdict.allowed:
        raise TooManyRequestsError(verdict.retry_after)


def _last4_matches(dossier: Dossier, last4: str) -> bool:
    citizen, business = dossier.applicant_citizen, dossier.applicant_business
    number = citizen.personal_id if citizen else (business.tax_code if business else "")
    digits = "".join(c for c in number if c.isdigit())
    return len(digits) >= 4 and digits[-4:] == last4


# Every public look-up reads the dossier by its code: compiled once per connection.
_read_by_code = PreparedRead(
    lambda code: (
        Dossier.objects.select_related("applicant_citizen", "applicant_business")
        .filter(code=code)
        .order_by()
    )
)


def find_tracked_dossier(code: str, last4: str) -> Dossier:
    """The dossier `code` when `last4` are the last four digits of its applicant's ID number or
    tax code; DossierNotFoundError for a wrong code and for wrong digits alike, so the answer
    never tells which of the two was wrong. The row comes with its applicant's profile only."""
    found = _read_by_code(code)
    if not found:
        raise DossierNotFoundError(code)
    dossier = found[0]
    if not _last4_matches(dossier, last4):
        raise DossierNotFoundError(code)
    return dossier


def public_facts(dossier: Dossier) -> dict[str, Any]:
    """What the public may know of a dossier found by `find_tracked_dossier`: no name, ID,
    address or document. Labels are in the active language."""
    # The procedure's name and the agencies' come from what the process keeps
    # (dossiers.queries.with_rules, units.queries).
    with_rules(dossier)
    # Steps start at acceptance (the receipt step is written then).
    steps = read_steps(dossier) if dossier.accepted_at else []
    agencies = get_agencies({s.agency_id for s in steps})
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "status": dossier.status,
        "status_label": str(STATUS_LABELS[Status(dossier.status)]),
        "submitted_at": dossier.submitted_at,
        "due_date": dossier.due_date,
        "finished_at": dossier.finished_at,
        "steps": [
            {
                "kind": s.kind,
                "kind_label": str(STEP_LABELS.get(s.kind, s.kind)),
                "agency": agencies[s.agency_id].name,
                "started_at": s.started_at,
                "finished_at": s.finished_at,
                "outcome": s.outcome,
            }
            for s in steps
        ],
    }


def track_dossier(code: str, last4: str, request: HttpRequest) -> dict[str, Any]:
    """What the public may know of dossier `code`. Codes stay stable for programs (`status`, a
    step's `kind`); the labels beside them are in the request's language (Vietnamese unless
    Accept-Language asks for English). DossierNotFoundError for a wrong code or wrong digits."""
    return public_facts(find_tracked_dossier(code, last4))
