"""The dossier API: submit, read, upload, act; public tracking. Thin: parse, access, act, render."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, File, Form, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile

from motcua.accounts.queries import get_official_username
from motcua.accounts.session_auth import session_auth
from motcua.accounts.tokens import PRESENTED_TOKEN, BearerToken, do_issue_token, do_revoke_tokens
from motcua.accounts.viewer import Viewer, viewer_of
from motcua.catalog.models import RequiredDocument
from motcua.common.errors import InvalidInputError
from motcua.common.inputs import Instant
from motcua.common.schemas import error_responses
from motcua.dossiers import actions, queries
from motcua.dossiers.access import access_dossier, visible_dossiers
from motcua.dossiers.actions.handlers import (
    MAX_AMOUNT_VND,
    MAX_SUPPLEMENT_ITEM_LENGTH,
    MAX_SUPPLEMENT_ITEMS,
)
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.tracking import check_tracking_rate, track_dossier
from motcua.units.queries import get_agencies
from motcua.worktime.queries import CalendarBook

AUTH = [BearerToken(), session_auth]

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


class RevokedOut(Schema):
    revoked: int = Field(description="How many tokens were ended")


@auth_router.post(
    "/token",
    response={200: TokenOut, **error_responses(401, 429)},
    summary="Get a bearer token (failed logins are throttled per account and address: 429)",
)
def issue_token(request: HttpRequest, body: TokenIn) -> dict[str, Any]:
    key, expires = do_issue_token(login=body.login, password=body.password, request=request)
    return {"token": key, "expires_at": expires}


@auth_router.delete(
    "/token",
    auth=AUTH,
    response={200: RevokedOut},
    summary="Log out: end the token presented, or with all=true every token of yours",
)
def revoke_token(
    request: HttpRequest,
    all_tokens: bool = Query(
        False, alias="all", description="End every token of your account, not only this one"
    ),
) -> dict[str, Any]:
    presented: int | None = getattr(request, PRESENTED_TOKEN, None)
    if not all_tokens and presented is None:
        raise InvalidInputError(
            "all",
            gettext("a signed-in session has no token to end; pass all=true to end all of them."),
        )
    return {"revoked": do_revoke_tokens(request.user, token_id=None if all_tokens else presented)}


class SubmissionIn(Schema):
    procedure: str = Field(max_length=60, description="National or local procedure code")
    receiving_agency: str = Field(max_length=40, description="Code of the service centre")
    channel: str = Field("online", max_length=10, description="online, counter, kiosk or post")
    applicant_personal_id: str = Field("", max_length=12)
    applicant_name: str = Field(
        "", max_length=255, description="Full name of the applicant when filing for someone else"
    )
    applicant_phone: str = Field(
        "",
        max_length=20,
        description=(
            "Counter and post only: the phone the applicant gave in person. The dossier joins "
            "the account with the applicant's ID number when this is its confirmed phone"
        ),
    )
    applicant_tax_code: str = Field(
        "",
        max_length=14,
        description=(
            "Tax code of the business filed for: your own, one whose legal representative you "
            "are, or as a delegate with its registered name and a delegation_reason"
        ),
    )
    delegation_reason: str = Field(
        "",
        max_length=500,
        description=(
            "Why you file for someone else (required for a business you neither are nor "
            "represent); recorded on the dossier and shown to the applicant"
        ),
    )
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
    interrupted: bool = Field(description="Cut short by a pause, a withdrawal or a stop")


class DocumentOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    requirement: int | None
    other: bool = Field(description="Answers no required document: an other document")
    digitised: bool


class RequirementOut(Schema):
    id: int = Field(description="Pass it as `requirement` when uploading")
    name: str
    originals: int
    copies: int
    mandatory: bool


class DossierOut(Schema):
    code: str
    version: int
    procedure: str
    procedure_name: str
    applicant: str
    filed_as: str = Field(
        description="The filer's capacity: self, representative, delegate or counter"
    )
    delegation_reason: str = Field(description="The reason a delegate gave, else empty")
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
    missing_requirements: list[RequirementOut]
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
    items: list[Annotated[str, Field(max_length=MAX_SUPPLEMENT_ITEM_LENGTH)]] | None = Field(
        None, max_length=MAX_SUPPLEMENT_ITEMS, description="request_supplement: what is missing"
    )
    assignee: str | None = Field(None, max_length=150)
    agency: str | None = Field(None, max_length=40)
    amount_vnd: int | None = Field(
        None, le=MAX_AMOUNT_VND, description="request_payment: the amount, in đồng"
    )
    new_due: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=500)
    document_number: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=2000)


class DossierFilters(Schema):
    status: int | None = Field(None, ge=1, le=10)
    stage: str | None = Field(None, max_length=30)
    due_before: Instant | None = None
    page: int = Field(1, ge=1, le=100_000)


def _assignee(dossier: Dossier) -> str | None:
    if dossier.assignee_id is None:
        return None
    if Dossier.assignee.field.is_cached(dossier):  # type: ignore[attr-defined]
        return dossier.assignee.user.username  # type: ignore[union-attr]
    return get_official_username(dossier.assignee_id)


def _out(dossier: Dossier, viewer: Viewer, book: CalendarBook) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "version": dossier.row_version,
        "procedure": dossier.procedure.national_code,
        "procedure_name": dossier.procedure_version.name,
        "applicant": dossier.applicant_name,
        "filed_as": dossier.filed_as,
        "delegation_reason": dossier.delegation_reason,
        "channel": dossier.channel,
        "status": dossier.status,
        "stage": dossier.stage,
        "receiving_agency": dossier.receiving_agency.code,
        "competent_agency": dossier.competent_agency.code,
        "current_agency": dossier.current_agency.code,
        "assignee": _assignee(dossier),
        "submitted_at": dossier.submitted_at,
        "accepted_at": dossier.accepted_at,
        "due_at": dossier.due_at,
        "due_date": dossier.due_date,
        "previous_due_at": dossier.previous_due_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "outcome": dossier.outcome,
        "clock": queries.clock_of(dossier, timezone.now(), book),
        "flags": dossier.flagged,
        "next_actions": queries.next_actions(dossier, viewer),
    }


def _detail(
    dossier: Dossier, request: HttpRequest, book: CalendarBook | None = None
) -> dict[str, Any]:
    """The dossier with its steps, documents and results: the engine's lists when it just
    acted, else read once (queries.load_related)."""
    queries.load_related(dossier)
    agencies = get_agencies({s.agency_id for s in dossier.steps.all()})
    return {
        **_out(dossier, viewer_of(request), book or CalendarBook()),
        "due_explanation": dossier.due_explanation,
        "steps": [
            {
                "order": s.order,
                "kind": s.kind,
                "agency": agencies[s.agency_id].code,
                "started_at": s.started_at,
                "due_at": s.due_at,
                "finished_at": s.finished_at,
                "outcome": s.outcome,
                "interrupted": s.interrupted,
            }
            for s in dossier.steps.all()
        ],
        "documents": [_document(d) for d in dossier.documents.all()],
        # The counter checks completeness before accepting; afterwards nothing is missing.
        "missing_documents": (
            queries.missing_documents(dossier) if dossier.accepted_at is None else []
        ),
        "missing_requirements": (
            [_requirement(r) for r in queries.missing_requirements(dossier)]
            if dossier.accepted_at is None
            else []
        ),
        "results": [r.code for r in dossier.results.all()],
    }


def _document(document: DossierDocument) -> dict[str, Any]:
    return {
        "id": document.id,
        "file_name": document.file_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "requirement": document.requirement_id,
        "other": document.requirement_id is None,
        "digitised": document.digitised,
    }


def _requirement(requirement: RequiredDocument) -> dict[str, Any]:
    return {
        "id": requirement.id,
        "name": requirement.name,
        "originals": requirement.originals or 0,
        "copies": requirement.copies or 0,
        "mandatory": requirement.mandatory,
    }


@router.post(
    "",
    response={200: DossierDetail, 201: DossierDetail, **error_responses(404)},
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
            applicant_phone=body.applicant_phone,
            delegation_reason=body.delegation_reason,
            commune_code=body.commune,
            summary=body.summary,
            delivery_method=body.delivery_method,
            delivery_address=body.delivery_address,
        ),
        acting_user=request.user,  # type: ignore[arg-type]
        idempotency_key=idempotency_key,
    )
    return Status(201 if created else 200, _detail(queries.with_rules(dossier), request))


@router.get("", response=DossierPage, summary="Dossiers you may see")
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters]) -> dict[str, Any]:
    viewer = viewer_of(request)
    dossiers = queries.filter_dossiers(
        visible_dossiers(viewer),
        status=filters.status,  # type: ignore[arg-type]
        stage=filters.stage,
        due_before=filters.due_before,
    )
    start = (filters.page - 1) * queries.PAGE_SIZE
    page = queries.with_rules_all(list(dossiers[start : start + queries.PAGE_SIZE]))
    book = CalendarBook()
    return {
        "count": dossiers.count(),
        "page": filters.page,
        "results": [_out(d, viewer, book) for d in page],
    }


@router.get(
    "/{code}",
    response={200: DossierDetail, **error_responses(404)},
    summary="One dossier, with why its due date is",
)
def get_dossier(request: HttpRequest, code: str) -> dict[str, Any]:
    viewer = viewer_of(request)
    dossier = access_dossier(viewer, code[:60])
    queries.log_read(dossier, viewer, via="api")
    return _detail(dossier, request)


@router.post(
    "/{code}/documents",
    response={201: DocumentOut, **error_responses(403, 404, 409)},
    summary="Upload a document",
    # motcua.web.guards lets this view, by this name, receive a body of an upload's size.
    url_name="upload_document",
)
def upload_document(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    requirement: Form[int | None] = None,
    digitised: Form[bool] = False,
) -> Status[dict[str, Any]]:
    viewer = viewer_of(request)
    dossier = access_dossier(viewer, code[:60])
    document = actions.do_attach_document(
        dossier,
        file,
        acting_user=viewer.user,
        viewer=viewer,
        requirement_id=requirement,
        digitised=digitised,
    )
    return Status(201, _document(document))


@router.post(
    "/{code}/actions",
    response={200: DossierDetail, **error_responses(403, 404, 409)},
    summary="Act on a dossier",
)
def act(request: HttpRequest, code: str, body: ActionIn) -> dict[str, Any]:
    viewer = viewer_of(request)
    params = body.dict(exclude={"action", "version", "comment"}, exclude_none=True)
    # The engine finds the dossier (as this viewer may see it) under its lock, and its updated
    # instance, with the lists it read, answers: one load of the dossier per action.
    book = CalendarBook()
    changed = actions.do_act_on_dossier(
        code[:60],
        body.action,
        acting_user=viewer.user,
        viewer=viewer,
        book=book,
        expected_version=body.version,
        comment=body.comment,
        params=params,
    )
    return _detail(changed, request, book)


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


@track_router.get(
    "/{code}",
    response={200: TrackOut, **error_responses(404, 429)},
    summary="Public tracking by dossier code",
)
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
