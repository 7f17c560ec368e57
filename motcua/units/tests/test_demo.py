"""The demo province gives every commune a service centre, and seeding twice is harmless."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from motcua.units.demo import seed_demo_province
from motcua.units.models import Agency, AgencyKind, Counter, Unit

pytestmark = pytest.mark.django_db


def test_tuyen_quang_has_its_centre_departments_and_a_centre_in_every_commune() -> None:
    seed_demo_province("08")
    centre = Agency.objects.get(code="H08.01")
    assert centre.name == "Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang"
    assert centre.kind == AgencyKind.PROVINCIAL_CENTRE and centre.is_service_centre
    departments = set(
        Agency.objects.filter(kind=AgencyKind.DEPARTMENT).values_list("name", flat=True)
    )
    for name in (
        "Sở Tư pháp tỉnh Tuyên Quang",
        "Sở Xây dựng tỉnh Tuyên Quang",
        "Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang",
        "Sở Tài chính tỉnh Tuyên Quang",
        "Công an tỉnh",
    ):
        assert name in departments
    communes = Unit.objects.current().filter(parent__code="08")
    centres = Agency.objects.filter(kind=AgencyKind.COMMUNE_CENTRE)
    assert centres.count() == communes.count() == 124
    assert set(centres.values_list("unit", flat=True)) == set(communes.values_list("id", flat=True))
    chiem_hoa = Agency.objects.get(code="H08.02287.01")
    assert chiem_hoa.name == "Trung tâm Phục vụ hành chính công xã Chiêm Hoá"
    assert chiem_hoa.parent is not None and chiem_hoa.parent.code == "H08.02287"
    assert chiem_hoa.province_code == "08"
    branch = Agency.objects.get(code="H08.01.01")
    assert branch.unit.name == "Phường Hà Giang 1"
    justice_counter = centre.counters.get(number=1)
    assert "Hộ tịch" in justice_counter.fields


def test_seeding_twice_neither_fails_nor_duplicates() -> None:
    first = seed_demo_province("08")
    counts = (Agency.objects.count(), Counter.objects.count())
    second = seed_demo_province("08")
    assert (first.total, second.total, second.created) == (261, 261, 0)
    assert (Agency.objects.count(), Counter.objects.count()) == counts


def test_unknown_province_is_a_clear_error_and_creates_nothing() -> None:
    before = Agency.objects.count()
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="No province with the identifier 99"),
    ):
        call_command("load_demo_province", province="99", verbosity=0)
    assert Agency.objects.count() == before
