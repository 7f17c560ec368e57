"""GET /api/v1/units and /api/v1/units/{code}: the register as JSON.

Current units by default; `at=YYYY-MM-DD` answers for a past date, so a 2024 address (an old
district and commune) can be read and followed to its successors.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from motcua.common.errors import InvalidInputError
from motcua.common.schemas import error_responses
from motcua.units import queries
from motcua.units.models import Unit, UnitSuccession, UnitType

router = Router(tags=["units"])

MAX_PAGE_SIZE = 500


class UnitRef(Schema):
    code: str
    name: str
    type: UnitType


class UnitOut(UnitRef):
    level: int = Field(description="1 province, 2 district (until 2025), 3 commune")
    parent: UnitRef | None
    province_code: str
    valid_from: dt.date | None = Field(description="Empty for units older than the records")
    valid_to: dt.date | None = Field(description="First day no longer in force; empty if current")


class UnitPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[UnitOut]


class SuccessionOut(Schema):
    unit: UnitOut
    kind: str
    effective: dt.date
    note: str


class UnitDetail(UnitOut):
    note: str
    children_count: int
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


class UnitFilters(Schema):
    type: UnitType | None = Field(None, description="province, city, commune, ward, …")
    parent: str | None = Field(None, max_length=10, description="Code of the parent unit")
    q: str = Field("", max_length=100, description="Name, with or without accents")
    at: dt.date | None = Field(None, description="Units in force on this date (default: today)")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)

    @field_validator("parent")
    @classmethod
    def _digits(cls, value: str | None) -> str | None:
        if value is not None and not value.isdigit():
            raise ValueError("a unit code has only digits")
        return value


def _ref(unit: Unit | None) -> dict[str, object] | None:
    if unit is None:
        return None
    return {"code": unit.code, "name": unit.name, "type": unit.type}


def _unit(unit: Unit) -> dict[str, object]:
    return {
        **(_ref(unit) or {}),
        "level": unit.level,
        "parent": _ref(unit.parent),
        "province_code": unit.province_code,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def _link(link: UnitSuccession, other: Unit) -> dict[str, object]:
    return {"unit": _unit(other), "kind": link.kind, "effective": link.effective, "note": link.note}


@router.get(
    "", response={200: UnitPage, **error_responses(404)}, summary="List administrative units"
)
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> dict[str, object]:
    parent = None
    if filters.parent:
        parent = queries.get_unit_by_code(filters.parent, on=filters.at)
    units = queries.search_units(
        on=filters.at, unit_type=filters.type, parent=parent, query=filters.q
    )
    start = (filters.page - 1) * filters.page_size
    return {
        "count": units.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_unit(u) for u in units[start : start + filters.page_size]],
    }


@router.get(
    "/{code}",
    response={200: UnitDetail, **error_responses(404)},
    summary="One administrative unit with its history",
)
def get_unit(
    request: HttpRequest,
    code: str,
    at: dt.date | None = Query(None, description="Version in force on this date"),
) -> dict[str, object]:
    if not code.isdigit() or len(code) > 10:
        raise InvalidInputError("code", gettext("a unit code has only digits"))
    unit = queries.get_unit_by_code(code, on=at)
    return {
        **_unit(unit),
        "note": unit.note,
        "children_count": queries.count_children(unit, on=at),
        "predecessors": [_link(s, s.predecessor) for s in queries.list_predecessor_links(unit)],
        "successors": [_link(s, s.successor) for s in queries.list_successor_links(unit)],
    }
