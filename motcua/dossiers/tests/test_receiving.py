"""Where a procedure may be handed in: the centres the procedure page lists are exactly those
where a submission is accepted, for a province-level, a commune-level and a boundary-free
procedure (catalog.offering is the one place for the rule)."""

from __future__ import annotations

import itertools

import pytest

from motcua.catalog.models import Procedure, ProcedureLevel, ProcedureOffering
from motcua.catalog.offering import receiving_centres
from motcua.common.errors import InvalidInputError
from motcua.dossiers.actions import Submission, do_submit_dossier
from motcua.dossiers.tests.conftest import People
from motcua.units.models import Agency, AgencyKind
from motcua.units.models.agencies import SERVICE_CENTRE_KINDS

pytestmark = pytest.mark.django_db
PROVINCE = "08"
SAMPLE = 3  # centres of each kind tried on each side of the line


def procedure_offered_at(levels: set[str]) -> Procedure:
    """The first procedure offered in the province at exactly `levels`."""
    by_procedure: dict[int, set[str]] = {}
    for procedure_id, level in ProcedureOffering.objects.filter(
        province_code=PROVINCE, is_active=True
    ).values_list("procedure_id", "level"):
        by_procedure.setdefault(procedure_id, set()).add(level)
    chosen = min(p for p, found in by_procedure.items() if found == levels)
    return Procedure.objects.select_related("current").get(id=chosen)


def sample(centres: list[Agency]) -> list[Agency]:
    by_kind = itertools.groupby(sorted(centres, key=lambda a: (a.kind, a.code)), lambda a: a.kind)
    return [centre for _kind, group in by_kind for centre in list(group)[:SAMPLE]]


@pytest.mark.parametrize(
    ("levels", "boundary_free"),
    [
        ({ProcedureLevel.PROVINCE}, False),
        ({ProcedureLevel.COMMUNE}, False),
        ({ProcedureLevel.PROVINCE}, True),
    ],
    ids=["province", "commune", "boundary-free"],
)
def test_submission_accepts_exactly_the_centres_listed(
    people: People, levels: set[str], boundary_free: bool
) -> None:
    procedure = procedure_offered_at(levels)
    version = procedure.current
    assert version is not None
    version.boundary_free = boundary_free
    version.save(update_fields=["boundary_free"])
    listed: set[Agency] = set()
    for offering in ProcedureOffering.objects.filter(procedure=procedure, province_code=PROVINCE):
        listed |= set(receiving_centres(offering, boundary_free=boundary_free))
    centres = list(
        Agency.objects.filter(province_code=PROVINCE, is_active=True, kind__in=SERVICE_CENTRE_KINDS)
    )
    unlisted = [centre for centre in centres if centre not in listed]
    assert listed
    assert bool(unlisted) != boundary_free  # boundary-free: every centre of the province

    communes = Agency.objects.filter(province_code=PROVINCE, kind=AgencyKind.COMMUNE_COMMITTEE)
    first_commune = communes.order_by("code").first()
    assert first_commune is not None

    def refused_field(centre: Agency) -> str | None:
        # A commune-level dossier names its commune: the centre's own, else the first one.
        commune = centre.parent if centre.kind == AgencyKind.COMMUNE_CENTRE else first_commune
        assert commune is not None
        submission = Submission(
            procedure_code=procedure.national_code,
            receiving_agency_code=centre.code,
            commune_code=commune.code.removeprefix(f"H{PROVINCE}.")
            if levels == {ProcedureLevel.COMMUNE}
            else "",
        )
        try:
            do_submit_dossier(submission, acting_user=people.citizen)
        except InvalidInputError as refused:
            return refused.field
        return None

    assert [refused_field(centre) for centre in sample(list(listed))] == [None] * len(
        sample(list(listed))
    )
    # Refused for where it was handed in, not for anything else about the dossier.
    assert {refused_field(centre) for centre in sample(unlisted)} <= {"receiving_agency"}
