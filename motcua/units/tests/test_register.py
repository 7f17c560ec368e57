"""The unit register holds the real data, quirks included (shared data README)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from motcua.common.text import fold
from motcua.units.models import Level, SuccessionKind, Unit, UnitType

pytestmark = pytest.mark.django_db

REFORM = dt.date(2025, 7, 1)
DONG_NAI_CHANGE = dt.date(2026, 4, 30)


def current(code: str) -> Unit:
    return Unit.objects.current().get(code=code)


def historical(code: str) -> Unit:
    return Unit.objects.get(code=code, valid_to=REFORM, valid_from__isnull=True)


def test_current_counts_match_the_2025_reform_and_the_2026_change() -> None:
    now = Unit.objects.current()
    assert now.filter(level=Level.PROVINCE).count() == 34
    assert now.filter(type=UnitType.CITY).count() == 7  # 6 cities + Đồng Nai since 2026-04-30
    assert now.filter(level=Level.COMMUNE).count() == 3321
    assert now.filter(type=UnitType.SPECIAL_ZONE).count() == 13
    # 2,621 xã and 687 phường in 2025; ten xã of Đồng Nai became phường on 2026-04-30.
    assert now.filter(type=UnitType.COMMUNE).count() == 2611
    assert now.filter(type=UnitType.WARD).count() == 697
    assert not now.filter(level=Level.DISTRICT).exists()


def test_pre_2025_register_has_63_provinces_and_696_districts() -> None:
    before = Unit.objects.valid_on(dt.date(2024, 12, 31))
    assert before.filter(level=Level.PROVINCE).count() == 63
    assert before.filter(level=Level.DISTRICT).count() == 696
    assert before.filter(level=Level.COMMUNE).count() == 10033


def test_demo_province_tuyen_quang_has_124_communes() -> None:
    province = current("08")
    assert province.name == "Tỉnh Tuyên Quang"
    assert province.type == UnitType.PROVINCE
    assert Unit.objects.current().filter(parent=province).count() == 124
    # Hà Giang (02) merged whole into Tuyên Quang.
    ha_giang = historical("02")
    assert ha_giang.name == "Tỉnh Hà Giang"
    assert [s.successor for s in ha_giang.successor_links.all()] == [province]


def test_reused_code_names_two_units_linked_by_succession() -> None:
    # 00004 was Phường Trúc Bạch before the reform and is Phường Ba Đình after it.
    old, new = historical("00004"), current("00004")
    assert old.name == "Phường Trúc Bạch"
    assert old.parent is not None and old.parent.name == "Quận Ba Đình"
    assert new.name == "Phường Ba Đình"
    link = old.successor_links.get()
    assert link.successor == new
    assert link.kind == SuccessionKind.WHOLE
    assert link.effective == REFORM
    assert new.predecessor_links.count() == 10


def test_partial_merge_links_one_old_commune_to_several_new_ones() -> None:
    # Phường Kim Mã (00028) went in part to Ba Đình, Ngọc Hà and Giảng Võ.
    kim_ma = historical("00028")
    successors = {s.successor.name: s.kind for s in kim_ma.successor_links.all()}
    assert successors == {
        "Phường Ba Đình": SuccessionKind.PARTIAL,
        "Phường Ngọc Hà": SuccessionKind.PARTIAL,
        "Phường Giảng Võ": SuccessionKind.PARTIAL,
    }


def test_ba_che_code_follows_the_current_list_and_keeps_the_old_township() -> None:
    ba_che = current("06978")
    assert ba_che.name == "Xã Ba Chẽ"
    township = historical("06970")
    assert township.name == "Thị trấn Ba Chẽ"
    assert township.type == UnitType.TOWNSHIP
    assert [s.successor for s in township.successor_links.all()] == [ba_che]
    assert not Unit.objects.current().filter(code="06970").exists()


def test_island_special_zones_have_a_district_and_no_commune_as_predecessor() -> None:
    islands = {
        "11948": "Bạch Long Vĩ",
        "19742": "Cồn Cỏ",
        "20333": "Hoàng Sa",
        "21548": "Lý Sơn",
        "26732": "Côn Đảo",
    }
    for code, name in islands.items():
        zone = current(code)
        assert zone.type == UnitType.SPECIAL_ZONE
        assert zone.name == f"Đặc khu {name}"
        predecessors = [link.predecessor for link in zone.predecessor_links.all()]
        assert [p.name for p in predecessors] == [f"Huyện {name}"]
        assert predecessors[0].level == Level.DISTRICT
        assert predecessors[0].successor_links.get().kind == SuccessionKind.REORGANISED


def test_kim_dong_records_its_non_unit_predecessor_as_a_note() -> None:
    # Besides Xã Kim Trung and the old Xã Kim Đông, it took in "the coastal alluvial area
    # managed by Kim Sơn district", which had no code: kept as a note, not dropped.
    kim_dong = current("14698")
    names = sorted(link.predecessor.name for link in kim_dong.predecessor_links.all())
    assert names == ["Xã Kim Trung", "Xã Kim Đông"]
    assert "bãi bồi ven biển" in kim_dong.note


def test_dong_nai_2026_reclassification_is_kept_as_history() -> None:
    city = current("75")
    assert (city.name, city.type, city.valid_from) == (
        "Thành phố Đồng Nai",
        UnitType.CITY,
        DONG_NAI_CHANGE,
    )
    province_2025 = Unit.objects.get(code="75", valid_from=REFORM)
    assert (province_2025.type, province_2025.valid_to) == (UnitType.PROVINCE, DONG_NAI_CHANGE)
    ward = current("25270")
    assert (ward.name, ward.type) == ("Phường Lộc Ninh", UnitType.WARD)
    commune_2025 = Unit.objects.get(code="25270", valid_from=REFORM)
    assert (commune_2025.name, commune_2025.type) == ("Xã Lộc Ninh", UnitType.COMMUNE)
    assert commune_2025.successor_links.get().successor == ward
    on_new_year = Unit.objects.valid_on(dt.date(2026, 1, 1)).get(code="25270")
    assert on_new_year == commune_2025


def test_every_name_is_nfc_and_starts_with_a_capital() -> None:
    for name in Unit.objects.values_list("name", flat=True):
        assert unicodedata.normalize("NFC", name) == name
        assert name[0] == name[0].upper(), name
    # "xã Bắc Sơn" (lower case in the current list) is stored capitalised.
    assert current("06325").name == "Xã Bắc Sơn"


def test_duplicated_old_code_in_the_table_is_one_unit() -> None:
    # The table lists 00553 under two names (Xã Đặng Xá, Xã Cổ Bi); a code names one unit.
    assert Unit.objects.filter(code="00553", valid_from__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hoa khanh", "Xã Hoà Khánh"),
        ("Hòa Khánh", "Xã Hoà Khánh"),
        ("HOÀ KHÁNH", "Xã Hoà Khánh"),
    ],
)
def test_tone_mark_placement_and_accents_do_not_matter(typed: str, expected: str) -> None:
    matches = Unit.objects.current().filter(province_code="80", name_folded__contains=fold(typed))
    assert expected in {u.name for u in matches}


def test_province_code_is_carried_by_every_unit() -> None:
    assert not Unit.objects.filter(province_code="").exists()
    assert historical("00004").province_code == "01"
    assert current("02287").province_code == "08"
