"""Time limits published without their unit, read from the record's own text where it says the
unit, on the carried national records; the review flag stays where nothing says it. And what
the dossier clock does with the readings: a limit whose unit is now known is counted in it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from motcua.catalog.importing import SEED_FILE, read_records
from motcua.catalog.models import Procedure
from motcua.catalog.parsing import ParsedProcedure, TimeUnit, parse_record
from motcua.catalog.parsing.channels import parse_channels
from motcua.dossiers import clock
from motcua.worktime.limits import limit_in_working_hours
from motcua.worktime.workcalendar import package_calendar

TZ = dt.timezone(dt.timedelta(hours=7))
HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


@cache
def _records() -> dict[str, dict[str, Any]]:
    return {record["ma_thu_tuc"]: record for record in read_records(SEED_FILE)}


def parsed(code: str) -> ParsedProcedure:
    return parse_record(_records()[code])


def readings(p: ParsedProcedure) -> set[tuple[str, Decimal | None, TimeUnit, bool]]:
    return {
        (c.kind, c.time_limit.value, c.time_limit.unit, c.time_limit.from_description)
        for c in p.channels
    }


@pytest.mark.parametrize(
    "code",
    [
        "1.001193",  # birth registration
        "1.000656",  # death registration
        "2.000528",  # birth registration with a foreign element
    ],
)
def test_a_bare_one_with_a_same_day_result_in_the_steps_is_the_same_day(code: str) -> None:
    # Time cells "1"; steps: "nếu tiếp nhận hồ sơ sau 15 giờ thì … trả kết quả cho người yêu
    # cầu trong ngày làm việc tiếp theo".
    p = parsed(code)
    assert {(unit, known) for _kind, _value, unit, known in readings(p)} == {
        (TimeUnit.SAME_DAY, True)
    }
    assert {c.time_limit.text for c in p.channels} == {"1"}  # as published, kept
    assert not [issue for issue in p.issues if issue.startswith("time limit")]


def test_an_empty_cell_with_a_same_day_result_in_the_steps_is_the_same_day() -> None:
    p = parsed("2.000635")  # copies of civil-status extracts: empty time cells
    assert {unit for _kind, _value, unit, _known in readings(p)} == {TimeUnit.SAME_DAY}
    assert not p.flagged, p.issues


def test_an_empty_cell_takes_the_one_deadline_from_receipt_in_the_steps() -> None:
    # Household business registration: "… trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ
    # sơ", twice (the certificate, or the refusal), and no other deadline.
    p = parsed("1.001612")
    assert readings(p) == {
        (kind, Decimal(3), TimeUnit.WORKING_DAYS, True) for kind in ("counter", "online", "post")
    }
    assert not [issue for issue in p.issues if issue.startswith("time limit")]


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("1.000894", "marriage registration: '1' and no word on the time anywhere"),
        ("2.001263", "adoption: the one deadline from receipt is the supplement request's"),
        ("6.001435", "'Sau 03 ngày làm việc kể từ thời điểm nhận được báo cáo': not the dossier"),
        ("2.000720", "'1' in the cells, '03 ngày làm việc' in the steps: they disagree"),
    ],
)
def test_what_the_record_does_not_say_stays_unknown_and_flagged(code: str, why: str) -> None:
    p = parsed(code)
    assert TimeUnit.UNKNOWN in {unit for _kind, _value, unit, _known in readings(p)}, why
    assert [issue for issue in p.issues if issue.startswith("time limit")], why


def test_a_row_takes_the_unit_the_other_rows_give_the_same_number() -> None:
    # Counter "2 Giờ", online "2": the same table, the same two hours.
    p = parsed("1.007857")
    assert {(value, unit) for _kind, value, unit, _known in readings(p)} == {
        (Decimal(2), TimeUnit.HOURS)
    }
    # Counter and post "1 Ngày làm việc", online empty: the one limit the other rows state.
    p = parsed("1.002338")
    assert {(value, unit) for _kind, value, unit, _known in readings(p)} == {
        (Decimal(1), TimeUnit.WORKING_DAYS)
    }


def test_rows_that_disagree_complete_nothing() -> None:
    channels, issues = parse_channels(
        f"{HEADER}Trực tiếp3 Ngày làm việcMiễn phíTrực tuyến5 NgàyMiễn phí"
        "Dịch vụ bưu chínhKhông có thông tinMiễn phí"
    )
    assert channels[2].time_limit.unit is TimeUnit.UNKNOWN
    assert issues == ("time limit: not stated [Dịch vụ bưu chính]",)


@pytest.mark.parametrize(
    ("steps", "unit"),
    [
        ("Cơ quan có trách nhiệm cung cấp ngay trong ngày làm việc.", TimeUnit.SAME_DAY),
        ("Trả kết quả ngay trong ngày tiếp nhận hồ sơ.", TimeUnit.SAME_DAY),
        # The applicant's own duty, not the result: not read.
        ("Người nộp gửi cho cơ quan thuế ngay trong ngày lập chứng từ.", TimeUnit.UNKNOWN),
        ("Đối chiếu tiền, hàng trong ngày; báo cáo hằng tháng.", TimeUnit.UNKNOWN),
    ],
)
def test_same_day_wording_in_the_steps(steps: str, unit: TimeUnit) -> None:
    channels, _issues = parse_channels(f"{HEADER}Trực tiếp1Miễn phí", steps=steps)
    assert channels[0].time_limit.unit is unit


@pytest.mark.django_db
def test_the_clock_counts_birth_registration_as_the_same_day_with_its_15h_cut_off(
    catalogue: None,
) -> None:
    version = Procedure.objects.get(national_code="1.001193").current
    assert version is not None
    assert version.cutoff_time == dt.time(15, 0)
    limit = clock.pick_limit(list(version.channels.all()), "counter")
    assert limit is not None and limit.unit == TimeUnit.SAME_DAY
    calendar = package_calendar()

    def due(hour: int, reading: clock.Limit | None = limit) -> tuple[dt.datetime, list[str]]:
        start = dt.datetime(2026, 3, 2, hour, 0, tzinfo=TZ)  # Monday
        computed, notes = clock.compute_due(start, reading, calendar, cutoff=version.cutoff_time)
        assert computed is not None
        return computed.due.astimezone(TZ), notes

    # Before 15:00: due that day; after: the next working day. No "read as working days" note.
    morning, notes = due(9)
    assert (morning.date(), notes) == (dt.date(2026, 3, 2), [])
    assert due(16)[0].date() == dt.date(2026, 3, 3)
    # While the unit was unknown, "1" counted as one working day: due Tuesday at 09:00.
    unknown = clock.Limit(Decimal(1), "unknown", "1", "counter")
    before, notes = due(9, unknown)
    assert before == dt.datetime(2026, 3, 3, 9, 0, tzinfo=TZ)
    assert notes == ["the published limit '1' has no unit; read as working days"]
    # The internal process keeps the same budget: one working day, eight hours.
    assert limit_in_working_hours(limit.value, limit.unit) == Decimal(8)
    assert limit_in_working_hours(Decimal(1), "unknown") == Decimal(8)
