"""Offering the catalogue in a province: which agency decides, which centres receive.

A province-level procedure is decided by the department its record names ("Sở Tư pháp" → the
province's Department of Justice), else by the provincial People's Committee. A commune-level
one is decided by the People's Committee of the commune concerned, so it names no agency here.
Under Decree 118/2025 any service centre of the province may receive a boundary-free procedure;
otherwise province-level ones are received at the provincial centre and its branches, commune-
level ones at the commune centres.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from motcua.catalog.models import Procedure, ProcedureLevel, ProcedureOffering
from motcua.common.errors import NotFoundError
from motcua.common.text import fold
from motcua.units.demo import DEPARTMENTS, province_agency_code
from motcua.units.models import Agency, AgencyKind

# Folded words of an agency text → department number of the demo scheme (units.demo).
_DEPARTMENT_WORDS: tuple[tuple[str, int], ...] = (
    ("tu phap", 10),
    ("xay dung", 11),
    ("nong nghiep", 12),
    ("moi truong", 12),
    ("tai nguyen", 12),
    ("tai chinh", 13),
    ("thue", 13),
    ("cong an", 14),
    ("noi vu", 15),
    ("y te", 16),
    ("giao duc", 17),
    ("cong thuong", 18),
    ("van hoa", 19),
    ("du lich", 19),
    ("the thao", 19),
)
_KNOWN = {spec.number for spec in DEPARTMENTS}


def local_code(national_code: str, province_code: str) -> str:
    """The provincial variant code: national code + the province's agency suffix."""
    return f"{national_code}.000.00.00.{province_agency_code(province_code)}"


def department_number(agency_text: str) -> int | None:
    folded = fold(agency_text)
    for words, number in _DEPARTMENT_WORDS:
        if words in folded and number in _KNOWN:
            return number
    return None


@dataclass
class OfferingSummary:
    created: int = 0
    total: int = 0


@transaction.atomic
def offer_catalogue_in_province(province_code: str) -> OfferingSummary:
    """Offer every province- and commune-level procedure in the province; idempotent."""
    h = province_agency_code(province_code)
    agencies = {a.code: a for a in Agency.objects.filter(province_code=province_code)}
    committee = agencies.get(h)
    if committee is None:
        raise NotFoundError(gettext("agency"), h)
    existing = {
        (o.procedure_id, o.level): o
        for o in ProcedureOffering.objects.filter(province_code=province_code)
    }
    summary = OfferingSummary()
    to_create: list[ProcedureOffering] = []
    procedures = Procedure.objects.filter(current__isnull=False).select_related("current")
    for procedure in procedures.filter(Q(at_province=True) | Q(at_commune=True)):
        version = procedure.current
        assert version is not None
        wanted: list[tuple[str, Agency | None]] = []
        if procedure.at_province:
            number = department_number(f"{version.implementing_agency} {version.competent_agency}")
            wanted.append(
                (
                    ProcedureLevel.PROVINCE,
                    agencies.get(f"{h}.{number}", committee) if number else committee,
                )
            )
        if procedure.at_commune:
            wanted.append((ProcedureLevel.COMMUNE, None))
        for level, agency in wanted:
            summary.total += 1
            offering = existing.get((procedure.id, level))
            if offering is None:
                to_create.append(
                    ProcedureOffering(
                        procedure=procedure,
                        province_code=province_code,
                        level=level,
                        local_code=local_code(procedure.national_code, province_code),
                        competent_agency=agency,
                    )
                )
            elif offering.competent_agency_id != (agency.id if agency else None):
                offering.competent_agency = agency
                offering.save(update_fields=["competent_agency"])
    ProcedureOffering.objects.bulk_create(to_create, batch_size=1000)
    summary.created = len(to_create)
    return summary


def receiving_centres(offering: ProcedureOffering, *, boundary_free: bool) -> QuerySet[Agency]:
    """Service centres of the province where the procedure can be submitted."""
    centres = Agency.objects.filter(province_code=offering.province_code, is_active=True)
    if boundary_free:
        kinds = [AgencyKind.PROVINCIAL_CENTRE, AgencyKind.CENTRE_BRANCH, AgencyKind.COMMUNE_CENTRE]
    elif offering.level == ProcedureLevel.COMMUNE:
        kinds = [AgencyKind.COMMUNE_CENTRE]
    else:
        kinds = [AgencyKind.PROVINCIAL_CENTRE, AgencyKind.CENTRE_BRANCH]
    return centres.filter(kind__in=kinds).order_by("kind", "code")
