"""Offering the catalogue in a province: which agency decides, which centres receive.

A province-level procedure is decided by the department its record names ("Sở Tư pháp" → the
province's Department of Justice), else by the provincial People's Committee. A commune-level
one is decided by the People's Committee of the commune concerned, so it names no agency here.
Under Decree 118/2025 any service centre of the province may receive a boundary-free procedure;
otherwise province-level ones are received at the provincial centre and its branches, commune-
level ones at the commune centres. This module is the one place for those rules: the submission
of a dossier (`competent_agency_for`, `may_receive`) and the pages that list where to submit
(`receiving_centres`) both ask it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from motcua.catalog.models import (
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcedureOffering,
    ProcedureVersion,
)
from motcua.common.errors import InvalidInputError, NotFoundError
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


# The service centres that receive a procedure outside boundary-free intake, by the level that
# decides it; boundary-free ones are received at every centre of the province (Decree 118/2025).
PROVINCE_CENTRE_KINDS = frozenset({AgencyKind.PROVINCIAL_CENTRE, AgencyKind.CENTRE_BRANCH})
COMMUNE_CENTRE_KINDS = frozenset({AgencyKind.COMMUNE_CENTRE})
ALL_CENTRE_KINDS = PROVINCE_CENTRE_KINDS | COMMUNE_CENTRE_KINDS


def receiving_centres(offering: ProcedureOffering, *, boundary_free: bool) -> QuerySet[Agency]:
    """Service centres of the province where the procedure can be submitted: for a commune-level
    one each commune centre, for the applicant of its own commune (`may_receive`)."""
    if boundary_free:
        kinds = ALL_CENTRE_KINDS
    elif offering.level == ProcedureLevel.COMMUNE:
        kinds = COMMUNE_CENTRE_KINDS
    else:
        kinds = PROVINCE_CENTRE_KINDS
    centres = Agency.objects.filter(province_code=offering.province_code, is_active=True)
    return centres.filter(kind__in=sorted(kinds)).order_by("kind", "code")


def require_service_centre(receiving: Agency) -> None:
    """Dossiers are received only at a Public Administration Service Centre (Decree 118/2025);
    InvalidInputError for any other agency."""
    if not receiving.is_service_centre:
        raise InvalidInputError(
            "receiving_agency",
            gettext("dossiers are received at a Public Administration Service Centre."),
        )


def competent_agency_for(procedure: Procedure, receiving: Agency, commune_code: str) -> Agency:
    """The agency that decides `procedure` for an applicant received at `receiving`.

    Among the procedure's active offerings in the receiving centre's province: the commune level
    when it is received at a commune centre, when a commune is named, or when it is offered at
    no other level (then the People's Committee of the commune named, else of the receiving
    commune centre's commune); otherwise the province level's competent agency. InvalidInputError
    when it is not offered in the province, when a commune-level procedure names no commune, or
    when no competent agency is configured; NotFoundError for an unknown commune.
    """
    offerings = {
        o.level: o
        for o in ProcedureOffering.objects.filter(
            procedure=procedure,
            province_code=receiving.province_code,
            is_active=True,
        ).select_related("competent_agency")
    }
    if not offerings:
        raise InvalidInputError(
            "procedure", gettext("this procedure is not offered in this province.")
        )
    at_commune_centre = receiving.kind == AgencyKind.COMMUNE_CENTRE
    if ProcedureLevel.COMMUNE in offerings and (
        at_commune_centre or commune_code or ProcedureLevel.PROVINCE not in offerings
    ):
        if commune_code:
            code = f"H{receiving.province_code}.{commune_code}"
        elif at_commune_centre and receiving.parent_id:
            return Agency.objects.get(id=receiving.parent_id)
        else:
            raise InvalidInputError(
                "commune_code", gettext("a commune-level procedure needs the commune concerned.")
            )
        committee = Agency.objects.filter(code=code, kind=AgencyKind.COMMUNE_COMMITTEE).first()
        if committee is None:
            raise NotFoundError(gettext("commune"), commune_code)
        return committee
    offering = offerings[ProcedureLevel.PROVINCE]
    if offering.competent_agency is None:
        raise InvalidInputError("procedure", gettext("no competent agency is configured."))
    return offering.competent_agency


def may_receive(version: ProcedureVersion, receiving: Agency, competent: Agency) -> bool:
    """Whether the service centre `receiving` may take a dossier that `competent` decides.

    A boundary-free procedure (Decree 118/2025) may be received at any service centre of the
    province; otherwise a commune's procedure only at that commune's centre and a province-level
    one at the provincial centre or one of its branches (`receiving_centres` lists the same).
    """
    if not receiving.is_service_centre:
        return False
    if version.boundary_free:
        return receiving.kind in ALL_CENTRE_KINDS
    if competent.kind == AgencyKind.COMMUNE_COMMITTEE:
        return receiving.kind in COMMUNE_CENTRE_KINDS and receiving.parent_id == competent.id
    return receiving.kind in PROVINCE_CENTRE_KINDS


def require_may_receive(version: ProcedureVersion, receiving: Agency, competent: Agency) -> None:
    """`may_receive`, or InvalidInputError on `receiving_agency`."""
    if not may_receive(version, receiving, competent):
        raise InvalidInputError(
            "receiving_agency",
            gettext(
                "this procedure is not boundary-free: submit it at the centre of the competent "
                "agency."
            ),
        )


def offered_online(procedure: Procedure, province_code: str) -> bool:
    """Whether the province takes this procedure's dossiers online: its published version is an
    online service (Decree 42/2022 art. 11: full-process or partial) and the province offers it."""
    version = procedure.current
    if version is None or version.online_level == OnlineLevel.NONE:
        return False
    # Through the relation, so a page that prefetched the offerings asks nothing more.
    return any(o.province_code == province_code and o.is_active for o in procedure.offerings.all())


def commune_committees(province_code: str) -> QuerySet[Agency]:
    """The People's Committees of the province's communes: who decides a commune-level
    procedure, named by the commune code `competent_agency_for` takes (`commune_code_of`)."""
    return Agency.objects.filter(
        province_code=province_code, kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True
    ).order_by("name_folded", "code")


def commune_code_of(committee: Agency) -> str:
    """`H08.00691` → `00691`, the commune code a submission names."""
    return committee.code.partition(".")[2]


def commune_centre(province_code: str, commune_code: str) -> Agency | None:
    """The service centre of a commune, where its commune-level procedures are received."""
    return (
        Agency.objects.filter(
            kind=AgencyKind.COMMUNE_CENTRE,
            is_active=True,
            parent__code=f"H{province_code}.{commune_code}",
        )
        .order_by("code")
        .first()
    )
