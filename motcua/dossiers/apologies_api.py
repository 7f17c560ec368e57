"""Apologies for late dossiers: the leaders' inbox, approval, and the managers' report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from motcua.accounts.viewer import viewer_of
from motcua.common.inputs import Instant
from motcua.common.schemas import error_responses
from motcua.dossiers import apologies
from motcua.dossiers.api import AUTH
from motcua.dossiers.errors import NotPermittedError
from motcua.dossiers.models import Apology, ApologyStatus

router = Router(tags=["apologies"], auth=AUTH)


class ApologyOut(Schema):
    id: int
    dossier: str
    agency: str
    status: str
    reason: str
    original_due_at: dt.datetime
    proposed_due_at: dt.datetime
    drafted_at: dt.datetime
    sent_at: dt.datetime | None


class ApproveIn(Schema):
    reason: str = Field("", max_length=2000)
    new_due: Instant | None = None


class LateDossierOut(Schema):
    code: str
    agency: str
    procedure: str
    due_at: dt.datetime


class LateReport(Schema):
    late: int
    apologised: int
    percent: float
    without_apology: list[LateDossierOut]


def _out(apology: Apology) -> dict[str, Any]:
    return {
        "id": apology.id,
        "dossier": apology.dossier.code,
        "agency": apology.agency.code,
        "status": apology.status,
        "reason": apology.reason,
        "original_due_at": apology.original_due_at,
        "proposed_due_at": apology.proposed_due_at,
        "drafted_at": apology.drafted_at,
        "sent_at": apology.sent_at,
    }


def _agency_ids(request: HttpRequest) -> list[int]:
    viewer = viewer_of(request)
    if viewer.official is None:
        raise NotPermittedError("apologies")
    return viewer.agency_ids()


@router.get(
    "/apologies",
    response={200: list[ApologyOut], **error_responses(403)},
    summary="Apologies of your agencies",
)
def list_apologies(
    request: HttpRequest, status: ApologyStatus | None = Query(None)
) -> list[dict[str, Any]]:
    found = Apology.objects.filter(agency_id__in=_agency_ids(request))
    if status:
        found = found.filter(status=status)
    return [_out(a) for a in found.select_related("dossier", "agency")[:500]]


@router.post(
    "/apologies/{apology_id}/approve",
    response={200: ApologyOut, **error_responses(403, 404, 409)},
    summary="Approve and send an apology: the dossier gets its one new date",
)
def approve_apology(request: HttpRequest, apology_id: int, body: ApproveIn) -> dict[str, Any]:
    viewer = viewer_of(request)
    apologies.access_apology(viewer, apology_id)
    apology = apologies.do_approve_apology(
        apology_id,
        acting_user=viewer.user,
        viewer=viewer,
        reason=body.reason,
        new_due=body.new_due,
    )
    return _out(apology)


@router.get(
    "/reports/late-dossiers",
    response={200: LateReport, **error_responses(403)},
    summary="Late dossiers without an apology (managers and leaders)",
)
def late_report(request: HttpRequest) -> dict[str, Any]:
    # A manager of the provincial committee sees the whole province (Viewer.report_scope).
    scope = viewer_of(request).report_scope()
    if scope is None:
        raise NotPermittedError("reports")
    rate = apologies.apology_rate(scope)
    late = apologies.list_late_without_apology(scope)[:500]
    return {
        **rate,
        "without_apology": [
            {
                "code": d.code,
                "agency": d.current_agency.code,
                "procedure": d.procedure_version.name,
                "due_at": d.due_at,
            }
            for d in late
        ],
    }
