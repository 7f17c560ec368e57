"""The national records are imported whole: none dropped, re-import idempotent, changes
versioned, unreadable parts flagged with their reason."""

from __future__ import annotations

import copy
import gzip
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.errors import CatalogueFileError
from motcua.catalog.importing import (
    SEED_FILE,
    cutoff_from_steps,
    import_records,
    read_records,
)
from motcua.catalog.models import (
    ImportRun,
    Procedure,
    ProcedureOffering,
    ProcedureVersion,
    VersionStatus,
)

pytestmark = pytest.mark.django_db

SEED_RECORDS = read_records(SEED_FILE)


def record(code: str) -> dict[str, Any]:
    return copy.deepcopy(next(r for r in SEED_RECORDS if r["ma_thu_tuc"] == code))


def snapshot() -> tuple[int, int, int]:
    return (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        ProcedureOffering.objects.count(),
    )


def test_every_province_and_commune_record_is_in_the_catalogue(catalogue: None) -> None:
    assert len(SEED_RECORDS) == 1476
    codes = set(Procedure.objects.values_list("national_code", flat=True))
    assert codes == {r["ma_thu_tuc"] for r in SEED_RECORDS}
    assert not Procedure.objects.filter(current__isnull=True).exists()
    flagged = Procedure.objects.filter(needs_review=True)
    assert 0 < flagged.count() < 1476
    for procedure in flagged[:20]:
        assert procedure.current is not None and procedure.current.review_reasons


def test_reimporting_the_same_file_changes_nothing(catalogue: None) -> None:
    before = snapshot()
    out = StringIO()
    call_command("import_procedures", stdout=out, stderr=StringIO())
    assert "0 new, 0 changed, 1476 unchanged" in out.getvalue()
    assert snapshot() == before
    run = ImportRun.objects.order_by("-id").first()
    assert run is not None
    assert (run.total, run.new, run.changed, run.unchanged) == (1476, 0, 0, 1476)
    assert run.flagged == Procedure.objects.filter(needs_review=True).count()
    assert len(run.flagged_codes) == run.flagged


def test_a_changed_record_makes_a_new_version_and_keeps_the_old(catalogue: None) -> None:
    procedure = Procedure.objects.get(national_code="1.000894")
    old = procedure.current
    assert old is not None and old.name == "Thủ tục đăng ký kết hôn"
    changed = record("1.000894")
    changed["ten_thu_tuc"] = "Thủ tục đăng ký kết hôn (sửa đổi)"
    run = import_records([changed], source="test.json")
    assert (run.new, run.changed, run.unchanged) == (0, 1, 0)
    procedure.refresh_from_db()
    old.refresh_from_db()
    assert procedure.current is not None
    assert procedure.current.number == old.number + 1
    assert procedure.name == "Thủ tục đăng ký kết hôn (sửa đổi)"
    assert old.status == VersionStatus.SUPERSEDED
    assert old.name == "Thủ tục đăng ký kết hôn"  # a dossier filed under it still reads this
    assert old.channels.count() == procedure.current.channels.count() == 3


def test_an_unchanged_record_read_anew_gets_a_new_version(catalogue: None) -> None:
    # A catalogue imported before the parser read birth registration's "1" as the same day:
    # the same record, stored with the old reading.
    procedure = Procedure.objects.get(national_code="1.001193")
    old = procedure.current
    assert old is not None
    old.channels.update(time_value=1, time_unit="unknown")
    old.review_reasons = ["time limit: number without a unit [Trực tiếp: 1]"]
    old.save(update_fields=["review_reasons"])

    run = import_records([record("1.001193")], source="test.json")

    assert (run.new, run.changed, run.unchanged) == (0, 1, 0)
    procedure.refresh_from_db()
    old.refresh_from_db()
    assert procedure.current is not None and procedure.current.number == old.number + 1
    assert {c.time_unit for c in procedure.current.channels.all()} == {"same_day"}
    assert procedure.current.review_reasons == []
    assert old.status == VersionStatus.SUPERSEDED  # dossiers filed under it keep it
    # Read the same way now: the next import leaves it alone.
    again = import_records([record("1.001193")], source="test.json")
    assert (again.changed, again.unchanged) == (0, 1)


def test_a_real_record_keeps_its_channels_documents_results_and_legal_basis(
    catalogue: None,
) -> None:
    version = Procedure.objects.get(national_code="1.000894").current
    assert version is not None
    assert version.levels == ["commune"]
    assert version.field is not None and version.field.name == "Hộ tịch"
    assert sorted(c.kind for c in version.channels.all()) == ["counter", "online", "post"]
    assert all(c.is_free for c in version.channels.all())
    assert [(r.name, r.code) for r in version.results.all()] == [
        ("Giấy chứng nhận kết hôn", "KQ.G15.000032")
    ]
    numbers = set(version.legal_basis.values_list("number", flat=True))
    assert {"123/2015/NĐ-CP", "60/2014/QH13", "04/2020/TT-BTP"} <= numbers
    declaration = version.documents.get(name__startswith="Tờ khai đăng ký kết hôn")
    assert (declaration.originals, declaration.copies) == (1, 0)


def test_an_unreadable_time_limit_is_imported_and_flagged_with_the_reason(
    catalogue: None,
) -> None:
    # The portal shows a bare "1" without a unit for marriage registration.
    version = Procedure.objects.get(national_code="1.000894").current
    assert version is not None
    assert version.review_reasons == [
        "time limit: number without a unit [Trực tuyến: 1]",
        "time limit: number without a unit [Dịch vụ bưu chính: 1]",
        "time limit: number without a unit [Trực tiếp: 1]",
    ]
    assert {c.time_unit for c in version.channels.all()} == {"unknown"}


def test_levels_filter_skips_other_levels_and_new_codes_are_counted(catalogue: None) -> None:
    ministry = record("1.000894")
    ministry["ma_thu_tuc"] = "9.999999"
    ministry["cap_thuc_hien"] = "Cấp bộ"
    local = record("1.000894")
    local["ma_thu_tuc"] = "9.999998"
    run = import_records([ministry, local], source="t.json", levels=["province", "commune"])
    assert (run.total, run.skipped, run.new) == (2, 1, 1)
    assert not Procedure.objects.filter(national_code="9.999999").exists()
    assert Procedure.objects.get(national_code="9.999998").current is not None


@pytest.mark.parametrize("content", [b"not gzip", b""])
def test_a_broken_file_is_refused_and_changes_nothing(
    catalogue: None, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "broken.json.gz"
    path.write_bytes(content)
    before = snapshot()
    with pytest.raises(CatalogueFileError):
        read_records(path)
    with pytest.raises(CommandError):
        call_command("import_procedures", path, verbosity=0)
    assert snapshot() == before


def test_a_file_that_is_not_a_list_of_records_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "object.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump({"ma_thu_tuc": "1.0"}, handle)
    with pytest.raises(CatalogueFileError):
        read_records(path)


def test_unknown_level_option_is_refused() -> None:
    with pytest.raises(CommandError, match="Unknown level"):
        call_command("import_procedures", levels="district", verbosity=0)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ("nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo", (15, 0)),
        ("trường hợp nhận hồ sơ sau 15h thì trả trong ngày làm việc tiếp theo", (15, 0)),
        ("Nộp hồ sơ tại Trung tâm", None),
        ("sau 30 giờ kể từ khi nhận", None),  # not an hour of the office day
    ],
)
def test_same_day_cutoff_is_read_from_the_steps(
    steps: str, expected: tuple[int, int] | None
) -> None:
    cutoff = cutoff_from_steps(steps)
    assert (None if cutoff is None else (cutoff.hour, cutoff.minute)) == expected


def test_offerings_cover_every_local_procedure_with_the_right_agency(catalogue: None) -> None:
    commune_level = Procedure.objects.filter(at_commune=True).count()
    province_level = Procedure.objects.filter(at_province=True).count()
    offerings = ProcedureOffering.objects.filter(province_code="08")
    assert offerings.count() == commune_level + province_level
    marriage = offerings.get(procedure__national_code="1.000894")
    assert marriage.local_code == "1.000894.000.00.00.H08"
    assert marriage.competent_agency is None  # the commune's own People's Committee
    justice = offerings.filter(level="province", competent_agency__code="H08.10")
    assert justice.exists()
    assert all(
        "tư pháp"
        in (
            o.procedure.current.implementing_agency + " " + o.procedure.current.competent_agency
        ).lower()
        for o in justice.select_related("procedure__current")[:30]
    )


def test_birth_registration_asks_every_applicant_for_the_birth_certificate_only(
    catalogue: None,
) -> None:
    version = Procedure.objects.get(national_code="1.001193").current
    assert version is not None
    to_hand_in = [d.name for d in version.documents.all() if d.to_hand_in]
    assert len(to_hand_in) == 1 and to_hand_in[0].startswith("Giấy chứng sinh")
    # The case-specific ones stay listed, as documents some applicants need.
    optional = [d.name[:40] for d in version.documents.all() if not d.mandatory and d.originals]
    assert any(n.startswith("Trường hợp trẻ em bị bỏ rơi") for n in optional)
    assert any(n.startswith("Văn bản ủy quyền") for n in optional)
    assert any(n.startswith("Tờ khai đăng ký khai sinh") for n in optional)


def test_a_catalogue_read_with_the_old_document_rule_gets_a_new_version(catalogue: None) -> None:
    # Imported when only "nếu có" made a document optional: the case-specific ones mandatory.
    procedure = Procedure.objects.get(national_code="1.001193")
    old = procedure.current
    assert old is not None
    old.documents.update(mandatory=True)

    run = import_records([record("1.001193")], source="test.json")

    assert (run.changed, run.unchanged) == (1, 0)
    procedure.refresh_from_db()
    assert procedure.current is not None and procedure.current.number == old.number + 1
    assert sum(d.to_hand_in for d in procedure.current.documents.all()) == 1
    assert sum(d.to_hand_in for d in old.documents.all()) == 6  # dossiers filed under it keep it
