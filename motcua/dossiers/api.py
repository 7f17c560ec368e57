"""The dossier API: submit, read, upload, act; public tracking. Thin: parse, access, act, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from motcua.accounts.tokens import BearerToken, do_issue_token
from motcua.dossiers import actions, queries
from motcua.dossiers.access import access_dossier, official_of, visible_dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.tracking import check_tracking_rate, track_dossier

AUTH = [BearerToken(), django_auth]

auth_router = Router(tags=["auth"])
router = Router(tags=["dossiers"], auth=AUTH)
track_router = Router(tags=["tracking"])


class TokenIn(Schema):
    login: str = Field(max_length=150, description="Username or 12-digit personal ID number")
    password: str = Field(max_length=200)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105  (the scheme name, not a secret)
    expires_at: dt.datetime


@auth_router.post("/token", response=TokenOut, summary="Get a bearer token")
def issue_token(request: HttpRequest, body: TokenIn) -> dict[str, Any]:
    key, expires = do_issue_token(login=body.login, password=body.password, request=request)
    return {"token": key, "expires_at": expires}


class SubmissionIn(Schema):
    procedure: str = Field(max_length=60, description="National or local procedure code")
    receiving_agency: str = Field(max_length=40, description="Code of the service centre")
    channel: str = Field("online", max_length=10, description="online, counter, kiosk or post")
    applicant_personal_id: str = Field("", max_length=12)
    applicant_name: str = Field(
        "", max_length=255, description="Full name of the applicant when filing for someone else"
    )
    applicant_tax_code: str = Field("", max_length=14)
    commune: str = Field("", max_length=5, description="Commune concerned (commune level)")
    summary: str = Field("", max_length=500)
    delivery_method: str = Field("counter", max_length=10)
    delivery_address: str = Field("", max_length=500)


class StepOut(Schema):
    order: int
    kind: str
    agency: str
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str


class DocumentOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    requirement: int | None
    digitised: bool


class DossierOut(Schema):
    code: str
    version: int
    procedure: str
    procedure_name: str
    applicant: str
    channel: str
    status: int
    stage: str
    receiving_agency: str
    competent_agency: str
    current_agency: str
    assignee: str | None
    submitted_at: dt.datetime
    accepted_at: dt.datetime | None
    due_at: dt.datetime | None
    due_date: dt.date | None
    previous_due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    outcome: str
    clock: str | None
    flags: list[str]
    next_actions: list[str]


class DossierDetail(DossierOut):
    due_explanation: dict[str, Any]
    steps: list[StepOut]
    documents: list[DocumentOut]
    missing_documents: list[str]
    results: list[str]


class DossierPage(Schema):
    count: int
    page: int
    results: list[DossierOut]


class ActionIn(Schema):
    action: str = Field(max_length=30)
    version: int | None = Field(None, description="The dossier version you saw; 409 if stale")
    comment: str = Field("", max_length=2000)
    reason: str | None = Field(None, max_length=2000)
    items: list[str] | None = None
    assignee: str | None = Field(None, max_length=150)
    agency: str | None = Field(None, max_length=40)
    amount_vnd: int | None = None
    new_due: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=500)
    document_number: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=2000)


class DossierFilters(Schema):
    status: int | None = Field(None, ge=1, le=10)
    stage: str | None = Field(None, max_length=30)
    due_before: dt.datetime | None = None
    page: int = Field(1, ge=1, le=100_000)


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Instants leave the API in UTC, whether they come from the database or were just computed
    in local time by the engine."""
    return moment.astimezone(dt.UTC) if moment is not None else None


def _out(dossier: Dossier, request: HttpRequest) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "version": dossier.row_version,
        "procedure": dossier.procedure.national_code,
        "procedure_name": dossier.procedure_version.name,
        "applicant": dossier.applicant_name,
        "channel": dossier.channel,
        "status": dossier.status,
        "stage": dossier.stage,
        "receiving_agency": dossier.receiving_agency.code,
        "competent_agency": dossier.competent_agency.code,
        "current_agency": dossier.current_agency.code,
        "assignee": dossier.assignee.user.username if dossier.assignee else None,
        "submitted_at": _utc(dossier.submitted_at),
        "accepted_at": _utc(dossier.accepted_at),
        "due_at": _utc(dossier.due_at),
        "due_date": dossier.due_date,
        "previous_due_at": _utc(dossier.previous_due_at),
        "finished_at": _utc(dossier.finished_at),
        "returned_at": _utc(dossier.returned_at),
        "outcome": dossier.outcome,
        "clock": queries.clock_of(dossier, timezone.now()),
        "flags": dossier.flagged,
        "next_actions": queries.next_actions(dossier, request.user),  # type: ignore[arg-type]
    }


def _detail(dossier: Dossier, request: HttpRequest) -> dict[str, Any]:
    return {
        **_out(dossier, request),
        "due_explanation": dossier.due_explanation,
        "steps": [
            {
                "order": s.order,
                "kind": s.kind,
                "agency": s.agency.code,
                "started_at": s.started_at,
                "due_at": s.due_at,
                "finished_at": s.finished_at,
                "outcome": s.outcome,
            }
            for s in dossier.steps.select_related("agency")
        ],
        "documents": [
            {
                "id": d.id,
                "file_name": d.file_name,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "requirement": d.requirement_id,
                "digitised": d.digitised,
            }
            for d in dossier.documents.all()
        ],
        # The counter checks completeness before accepting; afterwards nothing is missing.
        "missing_documents": (
            queries.missing_documents(dossier) if dossier.accepted_at is None else []
        ),
        "results": list(dossier.results.values_list("code", flat=True)),
    }


@router.post(
    "",
    response={200: DossierDetail, 201: DossierDetail},
    summary="Submit a dossier (Idempotency-Key: a retry returns the same dossier)",
)
def submit_dossier(
    request: HttpRequest,
    body: SubmissionIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100),
) -> Status[dict[str, Any]]:
    dossier, created = actions.do_submit_dossier(
        actions.Submission(
            procedure_code=body.procedure,
            receiving_agency_code=body.receiving_agency,
            channel=body.channel,
            applicant_personal_id=body.applicant_personal_id,
            applicant_name=body.applicant_name,
            applicant_tax_code=body.applicant_tax_code,
            commune_code=body.commune,
            summary=body.summary,
            delivery_method=body.delivery_method,
            delivery_address=body.delivery_address,
        ),
        acting_user=request.user,  # type: ignore[arg-type]
        idempotency_key=idempotency_key,
    )
    return Status(201 if created else 200, _detail(queries.reload(dossier), request))


@router.get("", response=DossierPage, summary="Dossiers you may see")
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters]) -> dict[str, Any]:
    dossiers = queries.filter_dossiers(
        visible_dossiers(request.user),
        status=filters.status,  # type: ignore[arg-type]
        stage=filters.stage,
        due_before=filters.due_before,
    )
    start = (filters.page - 1) * queries.PAGE_SIZE
    page = list(dossiers[start : start + queries.PAGE_SIZE])
    return {
        "count": dossiers.count(),
        "page": filters.page,
        "results": [_out(d, request) for d in page],
    }


@router.get("/{code}", response=DossierDetail, summary="One dossier, with why its due date is")
def get_dossier(request: HttpRequest, code: str) -> dict[str, Any]:
    dossier = access_dossier(request.user, code[:60])  # type: ignore[arg-type]
    if official_of(request.user) is not None:  # type: ignore[arg-type]
        queries.log_read(dossier, request.user, via="api")  # type: ignore[arg-type]
    return _detail(dossier, request)


@router.post("/{code}/documents", response={201: DocumentOut}, summary="Upload a document")
def upload_document(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    requirement: Form[int | None] = None,
    digitised: Form[bool] = False,
) -> Status[dict[str, Any]]:
    dossier = access_dossier(request.user, code[:60])  # type: ignore[arg-type]
    document = actions.do_attach_document(
        dossier,
        file,
        acting_user=request.user,  # type: ignore[arg-type]
        requirement_id=requirement,
        digitised=digitised,
    )
    return Status(
        201,
        {
            "id": document.id,
            "file_name": document.file_name,
            "content_type": document.content_type,
            "size": document.size,
            "sha256": document.sha256,
            "requirement": document.requirement_id,
            "digitised": document.digitised,
        },
    )


@router.post("/{code}/actions", response=DossierDetail, summary="Act on a dossier")
def act(request: HttpRequest, code: str, body: ActionIn) -> dict[str, Any]:
    dossier = access_dossier(request.user, code[:60])  # type: ignore[arg-type]
    params = body.dict(exclude={"action", "version", "comment"}, exclude_none=True)
    # The engine's locked, updated instance answers: no third load of the dossier.
    changed = actions.do_act_on_dossier(
        dossier.id,
        body.action,
        acting_user=request.user,  # type: ignore[arg-type]
        expected_version=body.version,
        comment=body.comment,
        params=params,
    )
    return _detail(changed, request)


class TrackStep(Schema):
    kind: str
    kind_label: str
    agency: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str


class TrackOut(Schema):
    code: str
    procedure: str
    status: int
    status_label: str
    submitted_at: dt.datetime
    due_date: dt.date | None
    finished_at: dt.datetime | None
    steps: list[TrackStep]


@track_router.get("/{code}", response=TrackOut, summary="Public tracking by dossier code")
def track(
    request: HttpRequest,
    code: str,
    id_last4: str = Query(
        ...,
        min_length=4,
        max_length=4,
        pattern=r"^[0-9]{4}$",
        description="Last 4 digits of the applicant's ID or tax code",
    ),
) -> dict[str, Any] | HttpResponse:
    check_tracking_rate(request)
    return track_dossier(code[:60], id_last4, request)
