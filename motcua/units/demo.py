"""The demo province: Tuyên Quang (GSO 08) after the 2025 merger with Hà Giang, 124 communes.

It gives `make run` a whole working province: the provincial People's Committee, its Public
Administration Service Centre with a branch in the former Hà Giang provincial seat, the
departments that decide most procedures, and a commune People's Committee with its service
centre in every commune, ward and special zone. Agency codes follow the scheme in
docs/subsystems/units-and-agencies.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from motcua.common.errors import NotFoundError
from motcua.units.models import Agency, AgencyKind, Counter, Level, Unit

DEMO_PROVINCE_CODE = "08"


def province_agency_code(province_code: str) -> str:
    """The province's level-1 code: `H` + GSO province code (`H08`)."""
    return f"H{province_code}"


@dataclass(frozen=True)
class DepartmentSpec:
    number: int
    name: str
    name_en: str


DEPARTMENTS = (
    DepartmentSpec(10, "Sở Tư pháp", "Department of Justice"),
    DepartmentSpec(11, "Sở Xây dựng", "Department of Construction"),
    DepartmentSpec(12, "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
    DepartmentSpec(13, "Sở Tài chính", "Department of Finance"),
    DepartmentSpec(14, "Công an tỉnh", "Provincial Public Security"),
    DepartmentSpec(15, "Sở Nội vụ", "Department of Home Affairs"),
    DepartmentSpec(16, "Sở Y tế", "Department of Health"),
    DepartmentSpec(17, "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    DepartmentSpec(18, "Sở Công Thương", "Department of Industry and Trade"),
    DepartmentSpec(
        19, "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"
    ),
)

# Counters of the provincial centre, grouped by the fields of procedures they receive.
PROVINCIAL_COUNTERS = (
    (1, "Quầy Tư pháp", ["Hộ tịch", "Chứng thực", "Công chứng", "Luật sư", "Lý lịch tư pháp"]),
    (
        2,
        "Quầy Đất đai – Môi trường",
        ["Đất đai", "Môi trường", "Tài nguyên nước", "Địa chất và khoáng sản"],
    ),
    (3, "Quầy Xây dựng – Giao thông", ["Xây dựng", "Nhà ở và công sở", "Đường bộ"]),
    (
        4,
        "Quầy Tài chính – Đầu tư",
        ["Thành lập và hoạt động của doanh nghiệp", "Đầu tư tại Việt nam", "Thuế"],
    ),
    (
        5,
        "Quầy Nông nghiệp",
        ["Thú y", "Trồng trọt và Bảo vệ thực vật", "Thủy sản", "Lâm nghiệp", "Thủy lợi"],
    ),
    (
        6,
        "Quầy Công an",
        [
            "Quản lý xuất nhập cảnh",
            "Cấp, quản lý căn cước",
            "Quản lý vũ khí, vật liệu nổ, công cụ hỗ trợ và pháo",
        ],
    ),
    (7, "Quầy Văn hóa – Y tế – Giáo dục", ["Văn hóa", "Y tế", "Giáo dục và Đào tạo"]),
    (8, "Quầy trả kết quả", []),
)

COMMUNE_COUNTERS = (
    (1, "Quầy Tư pháp – Hộ tịch", ["Hộ tịch", "Chứng thực"]),
    (2, "Quầy Đất đai – Xây dựng", ["Đất đai", "Xây dựng", "Thủy lợi"]),
    (
        3,
        "Quầy Nội vụ – Văn hóa – Xã hội",
        [
            "Chính sách",
            "Cấp, quản lý căn cước",
            "Thành lập và hoạt động của tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã",
        ],
    ),
)

_LOCAL_TYPE_WORDS = {
    "commune": "xã",
    "ward": "phường",
    "special_zone": "đặc khu",
    "province": "tỉnh",
    "city": "thành phố",
}
_EN_TYPE_WORDS = {
    "commune": "Commune",
    "ward": "Ward",
    "special_zone": "Special Zone",
    "province": "Province",
    "city": "City",
}


def _bare_name(unit: Unit) -> str:
    """ "Xã Chiêm Hoá" -> "Chiêm Hoá": the name without its type word."""
    word = _LOCAL_TYPE_WORDS.get(unit.type, "")
    if unit.name.lower().startswith(word + " "):
        return unit.name[len(word) + 1 :]
    return unit.name


def _local_name(unit: Unit) -> str:
    """ "xã Chiêm Hoá": how the unit is named after "Ủy ban nhân dân …"."""
    return f"{_LOCAL_TYPE_WORDS.get(unit.type, '')} {_bare_name(unit)}".strip()


def _en_name(unit: Unit) -> str:
    return f"{_bare_name(unit)} {_EN_TYPE_WORDS.get(unit.type, '')}".strip()


def _upsert_agency(code: str, **values: object) -> tuple[Agency, bool]:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        agency = Agency(code=code, **values)
        agency.save()
        return agency, True
    changed = [k for k, v in values.items() if getattr(agency, k) != v]
    if changed:
        for k in changed:
            setattr(agency, k, values[k])
        agency.save()
    return agency, False


def _upsert_counters(agency: Agency, specs: tuple[tuple[int, str, list[str]], ...]) -> None:
    existing = {c.number: c for c in agency.counters.all()}
    for number, name, fields in specs:
        counter = existing.get(number)
        if counter is None:
            Counter.objects.create(agency=agency, number=number, name=name, fields=fields)
        elif (counter.name, counter.fields) != (name, fields):
            counter.name, counter.fields = name, fields
            counter.save(update_fields=["name", "fields"])


@dataclass
class SeedSummary:
    created: int = 0
    total: int = 0


@transaction.atomic
def seed_demo_province(province_code: str = DEMO_PROVINCE_CODE) -> SeedSummary:
    """Create or refresh the agencies and counters of a province; idempotent.

    Requires the unit register (load_units) first; raises NotFoundError otherwise.
    """
    province = Unit.objects.current().filter(code=province_code, level=Level.PROVINCE).first()
    if province is None:
        raise NotFoundError(gettext("province"), province_code)
    summary = SeedSummary()
    h = province_agency_code(province_code)
    local = _local_name(province)

    def track(result: tuple[Agency, bool]) -> Agency:
        summary.total += 1
        summary.created += int(result[1])
        return result[0]

    committee = track(
        _upsert_agency(
            h,
            name=f"Ủy ban nhân dân {local}",
            name_en=f"{_en_name(province)} People's Committee",
            kind=AgencyKind.PROVINCIAL_COMMITTEE,
            unit=province,
            parent=None,
        )
    )
    centre = track(
        _upsert_agency(
            f"{h}.01",
            name=f"Trung tâm Phục vụ hành chính công {local}",
            name_en=f"{_en_name(province)} Public Administration Service Centre",
            kind=AgencyKind.PROVINCIAL_CENTRE,
            unit=province,
            parent=committee,
        )
    )
    _upsert_counters(centre, PROVINCIAL_COUNTERS)
    communes = list(
        Unit.objects.current().filter(parent=province, level=Level.COMMUNE).order_by("code")
    )
    branch_unit = next((u for u in communes if u.name == "Phường Hà Giang 1"), None)
    if branch_unit is not None:
        branch = track(
            _upsert_agency(
                f"{h}.01.01",
                name="Chi nhánh Trung tâm Phục vụ hành chính công tỉnh tại "
                f"{_local_name(branch_unit)}",
                name_en=f"Service Centre branch, {_en_name(branch_unit)}",
                kind=AgencyKind.CENTRE_BRANCH,
                unit=branch_unit,
                parent=centre,
            )
        )
        _upsert_counters(branch, PROVINCIAL_COUNTERS)
    for spec in DEPARTMENTS:
        name = spec.name if spec.name.startswith("Công an") else f"{spec.name} {local}"
        track(
            _upsert_agency(
                f"{h}.{spec.number}",
                name=name,
                name_en=spec.name_en,
                kind=AgencyKind.DEPARTMENT,
                unit=province,
                parent=committee,
            )
        )
    for unit in communes:
        local_commune = _local_name(unit)
        commune_committee = track(
            _upsert_agency(
                f"{h}.{unit.code}",
                name=f"Ủy ban nhân dân {local_commune}",
                name_en=f"{_en_name(unit)} People's Committee",
                kind=AgencyKind.COMMUNE_COMMITTEE,
                unit=unit,
                parent=committee,
            )
        )
        commune_centre = track(
            _upsert_agency(
                f"{h}.{unit.code}.01",
                name=f"Trung tâm Phục vụ hành chính công {local_commune}",
                name_en=f"{_en_name(unit)} Public Administration Service Centre",
                kind=AgencyKind.COMMUNE_CENTRE,
                unit=unit,
                parent=commune_committee,
            )
        )
        _upsert_counters(commune_centre, COMMUNE_COUNTERS)
    return summary
