"""Reads of the unit register. Dates default to today in the legal time zone."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable

from django.db.models import QuerySet, signals
from django.utils import timezone
from django.utils.translation import gettext

from motcua.common.errors import NotFoundError
from motcua.common.text import fold
from motcua.units.models import Agency, Unit, UnitSuccession, UnitType


def today() -> dt.date:
    return timezone.localdate()


def search_units(
    *,
    on: dt.date | None = None,
    unit_type: UnitType | None = None,
    parent: Unit | None = None,
    query: str = "",
) -> QuerySet[Unit]:
    """Units in force on `on` (today by default), matched without accents on every word."""
    units = Unit.objects.valid_on(on or today()).select_related("parent")
    if unit_type is not None:
        units = units.filter(type=unit_type)
    if parent is not None:
        units = units.filter(parent__code=parent.code, parent__level=parent.level)
    for word in fold(query).split():
        units = units.filter(name_folded__contains=word)
    return units.order_by("code", "valid_from")


def get_unit_by_code(code: str, *, on: dt.date | None = None) -> Unit:
    """The version of unit `code` in force on `on`; without a date, the current version or, for
    a unit that no longer exists, its last version (so an old code still resolves)."""
    versions = Unit.objects.filter(code=code).select_related("parent")
    unit = (
        versions.valid_on(on).first()
        if on
        else (versions.current().first() or versions.order_by("-valid_to").first())
    )
    if unit is None:
        raise NotFoundError(gettext("administrative unit"), code)
    return unit


def count_children(unit: Unit, *, on: dt.date | None = None) -> int:
    day = on or (today() if unit.is_current else _last_day(unit))
    return (
        Unit.objects.valid_on(day).filter(parent__code=unit.code, parent__level=unit.level).count()
    )


def _last_day(unit: Unit) -> dt.date:
    assert unit.valid_to is not None
    return unit.valid_to - dt.timedelta(days=1)


def list_predecessor_links(unit: Unit) -> list[UnitSuccession]:
    return list(
        unit.predecessor_links.select_related("predecessor__parent").order_by("predecessor__code")
    )


def list_successor_links(unit: Unit) -> list[UnitSuccession]:
    return list(
        unit.successor_links.select_related("successor__parent").order_by("successor__code")
    )


# Agencies by id, kept per process. An agency's code never changes once issued (it prefixes
# every dossier code it issued); names and addresses may, so a kept copy lives a few minutes.
# Dossier pages and actions read three agencies per dossier: from here, without a join.
_AGENCY_TTL_SECONDS = 300.0
_agencies: dict[int, tuple[float, Agency]] = {}
_agencies_lock = threading.Lock()


def get_agencies(agency_ids: Iterable[int]) -> dict[int, Agency]:
    """The agencies with these ids (one query for those not kept). Read-only instances."""
    now = time.monotonic()
    found: dict[int, Agency] = {}
    missing: set[int] = set()
    with _agencies_lock:
        for agency_id in agency_ids:
            kept = _agencies.get(agency_id)
            if kept is not None and now - kept[0] < _AGENCY_TTL_SECONDS:
                found[agency_id] = kept[1]
            else:
                missing.add(agency_id)
    if missing:
        loaded = Agency.objects.in_bulk(missing)
        with _agencies_lock:
            for agency_id, agency in loaded.items():
                _agencies[agency_id] = (now, agency)
        found.update(loaded)
    return found


def get_agency(agency_id: int) -> Agency:
    return get_agencies([agency_id])[agency_id]


def forget_agencies(**kwargs: object) -> None:
    with _agencies_lock:
        _agencies.clear()


signals.post_save.connect(forget_agencies, sender=Agency, dispatch_uid="units-agency-saved")
signals.post_delete.connect(forget_agencies, sender=Agency, dispatch_uid="units-agency-deleted")
signals.post_migrate.connect(forget_agencies, dispatch_uid="units-agencies-flush")
