"""A prepared read answers what its queryset answers, for every shape of its arguments, and
leaves to the ORM what it cannot substitute."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q, QuerySet
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from motcua.common import prepared
from motcua.common.prepared import PreparedRead
from motcua.units.models import Agency, AgencyKind, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies() -> list[Agency]:
    unit, _created = Unit.objects.get_or_create(
        code="08", valid_from=dt.date(2025, 7, 1), defaults={"name": "Tỉnh", "type": "province"}
    )
    return [
        Agency.objects.get_or_create(
            code=code, defaults={"name": f"Cơ quan {code}", "kind": kind, "unit": unit}
        )[0]
        for code, kind in (
            ("T08.01", AgencyKind.PROVINCIAL_CENTRE),
            ("T08.10", AgencyKind.DEPARTMENT),
            ("T08.11", AgencyKind.DEPARTMENT),
        )
    ]


def by_code_or_ids(code: str | None, ids: tuple[int, ...]) -> QuerySet[Agency]:
    wanted = Q(id__in=ids)
    if code is not None:
        wanted |= Q(code=code)
    return Agency.objects.filter(wanted).select_related("unit").order_by("code")


def codes(found: list[Agency]) -> list[str]:
    return [a.code for a in found]


def plans() -> dict[object, object]:
    return connections[DEFAULT_DB_ALIAS].__dict__.get(prepared._PLANS, {})


def test_each_shape_answers_as_the_queryset_with_one_statement(agencies: list[Agency]) -> None:
    read = PreparedRead(by_code_or_ids)
    centre, first, second = agencies
    cases = [
        ("T08.01", ()),
        ("T08.10", (second.id,)),
        (None, (first.id, second.id)),
        (None, (second.id, first.id)),  # the same shape, other values
        ("nothing", ()),
        (None, ()),
    ]
    for args in cases:
        expected = list(by_code_or_ids(*args))
        with CaptureQueriesContext(connection) as captured:
            found = read(*args)
        assert codes(found) == codes(expected)
        assert len(captured) <= 1  # none when the shape can match nothing
        # The instances are whole: their fields and the joined unit.
        assert [(a.id, a.name, a.kind, a.unit.code) for a in found] == [
            (a.id, a.name, a.kind, a.unit.code) for a in expected
        ]
    assert read("T08.01", ())[0].unit.code == "08"
    del centre


def test_a_value_the_orm_rewrites_is_left_to_the_orm(agencies: list[Agency]) -> None:
    # `contains` wraps the value in "%…%": the SQL cannot take it as it is.
    read = PreparedRead(lambda text: Agency.objects.filter(code__contains=text).order_by("code"))
    assert codes(read("T08.1")) == ["T08.10", "T08.11"]
    assert codes(read("T08.0")) == ["T08.01"]
    assert prepared._NOT_PREPARED in plans().values()


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_needs_a_transaction_as_the_orm_does(agencies: list[Agency]) -> None:
    read = PreparedRead(lambda code: Agency.objects.select_for_update().filter(code=code))
    with transaction.atomic():
        assert codes(read("T08.10")) == ["T08.10"]  # planned and run inside
    if connection.features.has_select_for_update:
        with pytest.raises(TransactionManagementError):
            read("T08.10")
    else:  # SQLite serialises writers: no lock, no error, as with the ORM
        assert codes(read("T08.10")) == ["T08.10"]
