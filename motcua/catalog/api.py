"""GET /api/v1/procedures and /api/v1/procedures/{code}: the catalogue as JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from motcua.catalog import queries
from motcua.catalog.models import (
    ApplicantKind,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
)
from motcua.catalog.search import ProcedureFilters, search_procedures
from motcua.common.schemas import LocalTime, error_responses

router = Router(tags=["procedures"])

PAGE_SIZE = 20


class ProcedureQuery(Schema):
    q: str = Field("", max_length=200, description="Words of the name, accents optional")
    field: str | None = Field(None, max_length=255, description="Field slug (see `field.slug`)")
    level: Literal["province", "commune"] | None = Field(None, description="province or commune")
    online: OnlineLevel | None = Field(None, description="full, partial or none")
    applicant: ApplicantKind | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(PAGE_SIZE, ge=1, le=100)


class FieldOut(Schema):
    name: str
    slug: str


class TimeLimitOut(Schema):
    value: Decimal | None
    unit: str
    text: str


class FeeOut(Schema):
    amount_vnd: int | None
    text: str


class ChannelOut(Schema):
    kind: str
    time_limit: TimeLimitOut
    fees: list[FeeOut]
    is_free: bool
    description: str


class ProcedureSummary(Schema):
    code: str
    name: str
    field: FieldOut | None
    levels: list[str]
    online_level: OnlineLevel
    applicant_kinds: list[str]
    usage_weight: int
    time_limit: TimeLimitOut | None = Field(
        description="The counter channel's limit, else the first"
    )


class ProcedurePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ProcedureSummary]


class ProcedureDocumentOut(Schema):
    id: int = Field(description="Pass it as `requirement` when uploading to a dossier")
    group: str = Field(description="The case or list it belongs to; empty for all cases")
    name: str
    originals: int | None
    copies: int | None
    form_template: str
    mandatory: bool
    to_hand_in: bool = Field(
        description="Must be uploaded before the dossier can be accepted (else: case-specific, "
        "optional, or shown at the counter)"
    )


class ResultOut(Schema):
    name: str
    code: str


class LegalOut(Schema):
    title: str
    number: str


class ProcessStepOut(Schema):
    order: int
    kind: str
    role: str
    selector: str
    agency: str | None
    budget_hours: Decimal


class OfferingOut(Schema):
    province_code: str
    level: str
    local_code: str
    competent_agency: str | None


class ProcedureDetail(ProcedureSummary):
    version: int
    published_at: dt.datetime | None
    decision_number: str
    procedure_type: str
    applicants: list[str]
    competent_agency: str
    implementing_agency: str
    receiving_address: str
    coordinating_agency: str
    steps_text: str
    requirements_text: str
    boundary_free: bool
    inter_agency: bool
    cutoff_time: LocalTime | None
    channels: list[ChannelOut]
    documents: list[ProcedureDocumentOut]
    results: list[ResultOut]
    legal_basis: list[LegalOut]
    process: list[ProcessStepOut]
    process_is_default: bool
    offerings: list[OfferingOut]
    needs_review: bool
    review_reasons: list[str]
    detail_url: str


def _time_limit(version: ProcedureVersion | None) -> dict[str, object] | None:
    if version is None:
        return None
    channel = queries.summary_channel(list(version.channels.all()))
    if channel is None:
        return None
    return {"value": channel.time_value, "unit": channel.time_unit, "text": channel.time_text}


def _summary(procedure: Procedure) -> dict[str, object]:
    version = procedure.current
    return {
        "code": procedure.national_code,
        "name": procedure.name,
        "field": procedure.field,
        "levels": [
            lvl
            for lvl, on in (("province", procedure.at_province), ("commune", procedure.at_commune))
            if on
        ],
        "online_level": procedure.online_level,
        "applicant_kinds": procedure.applicant_kinds.split(),
        "usage_weight": procedure.usage_weight,
        "time_limit": _time_limit(version),
    }


@router.get("", response=ProcedurePage, summary="Search the procedure catalogue")
def list_procedures(request: HttpRequest, query: Query[ProcedureQuery]) -> dict[str, object]:
    found = search_procedures(
        ProcedureFilters(
            q=query.q,
            field=query.field,
            level=query.level,
            online=query.online,
            applicant=query.applicant,
        )
    ).prefetch_related("current__channels")
    start = (query.page - 1) * query.page_size
    return {
        "count": found.count(),
        "page": query.page,
        "page_size": query.page_size,
        "results": [_summary(p) for p in found[start : start + query.page_size]],
    }


@router.get(
    "/{code}",
    response={200: ProcedureDetail, **error_responses(404)},
    summary="One procedure, all it requires",
)
def get_procedure(request: HttpRequest, code: str) -> dict[str, object]:
    procedure = queries.get_procedure_by_code(code[:60])
    version = procedure.current
    assert version is not None
    steps, is_default = queries.effective_process(version)
    return {
        **_summary(procedure),
        "version": version.number,
        "published_at": version.published_at,
        "decision_number": version.decision_number,
        "procedure_type": version.procedure_type,
        "applicants": version.applicants,
        "competent_agency": version.competent_agency,
        "implementing_agency": version.implementing_agency,
        "receiving_address": version.receiving_address,
        "coordinating_agency": version.coordinating_agency,
        "steps_text": version.steps_text,
        "requirements_text": version.requirements_text,
        "boundary_free": version.boundary_free,
        "inter_agency": version.inter_agency,
        "cutoff_time": version.cutoff_time,
        "channels": [
            {
                "kind": c.kind,
                "time_limit": {"value": c.time_value, "unit": c.time_unit, "text": c.time_text},
                "fees": c.fees,
                "is_free": c.is_free,
                "description": c.description,
            }
            for c in version.channels.all()
        ],
        "documents": list(version.documents.all()),
        "results": list(version.results.all()),
        "legal_basis": list(version.legal_basis.all()),
        "process": [
            {
                "order": n,
                "kind": s.kind,
                "role": s.role,
                "selector": s.selector,
                "agency": s.agency_code,
                "budget_hours": s.budget_hours,
            }
            for n, s in enumerate(steps, start=1)
        ],
        "process_is_default": is_default,
        "offerings": [
            {
                "province_code": o.province_code,
                "level": o.level,
                "local_code": o.local_code,
                "competent_agency": o.competent_agency.code if o.competent_agency else None,
            }
            for o in procedure.offerings.all()
        ],
        "needs_review": bool(version.review_reasons),
        "review_reasons": version.review_reasons,
        "detail_url": version.detail_url,
    }
