"""load_units is idempotent and refuses a contradictory file without changing anything."""

from __future__ import annotations

import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.units.errors import UnitDataError
from motcua.units.loading import DATA_FILE, load_units, read_data_file
from motcua.units.models import Unit, UnitSuccession

pytestmark = pytest.mark.django_db


def write(path: Path, data: dict[str, object]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
    return path


def snapshot() -> tuple[int, int, list[tuple[str, str]]]:
    return (
        Unit.objects.count(),
        UnitSuccession.objects.count(),
        list(Unit.objects.order_by("id").values_list("code", "name")[:50]),
    )


def test_loading_twice_changes_nothing() -> None:
    before = snapshot()
    summary = load_units()
    assert (summary.created, summary.updated, summary.successions_created) == (0, 0, 0)
    assert summary.unchanged == len(read_data_file()["units"])
    assert snapshot() == before


def test_command_reports_progress_and_counts() -> None:
    out, err = StringIO(), StringIO()
    call_command("load_units", stdout=out, stderr=err)
    assert "Current: 34 provinces/cities, 3321 communes/wards/special zones." in out.getvalue()
    assert "14158/14158" in err.getvalue()  # the progress bar reached the end


def test_a_corrected_name_updates_the_unit_in_place(tmp_path: Path) -> None:
    data = read_data_file()
    position = next(
        i for i, row in enumerate(data["units"]) if row[0] == "02287" and row[5] is None
    )
    data["units"][position][1] = "Xã  Chiêm Hóa"  # double space, other tone-mark placement
    unit_id = Unit.objects.current().get(code="02287").id
    summary = load_units(write(tmp_path / "units.json.gz", data))
    assert summary.updated == 1
    unit = Unit.objects.get(id=unit_id)
    assert unit.name == "Xã Chiêm Hóa"
    assert unit.name_folded == "xa chiem hoa"


def test_duplicate_unit_code_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    data = read_data_file()
    first_commune = next(row for row in data["units"] if row[2] == "commune")
    renamed_copy = [first_commune[0], "Xã Trùng Mã", *first_commune[2:]]
    data["units"].append(renamed_copy)
    data["units"][0][1] = "Thành phố Đổi Tên"  # would be an update if anything were written
    before = snapshot()
    with pytest.raises(UnitDataError, match=f"duplicate unit code {first_commune[0]}"):
        load_units(write(tmp_path / "units.json.gz", data))
    assert snapshot() == before
    with pytest.raises(CommandError, match="duplicate unit code"):
        call_command("load_units", file=tmp_path / "units.json.gz", verbosity=0)
    assert snapshot() == before


@pytest.mark.parametrize(
    "mutation", ["unknown type", "child before parent", "not json", "bad date"]
)
def test_malformed_files_are_refused(tmp_path: Path, mutation: str) -> None:
    path = tmp_path / "units.json.gz"
    data = read_data_file(DATA_FILE)
    if mutation == "unknown type":
        data["units"][5][2] = "village"
        write(path, data)
    elif mutation == "child before parent":
        data["units"][0][3] = 5
        write(path, data)
    elif mutation == "bad date":
        data["units"][3][4] = "2025-02-30"
        write(path, data)
    else:
        path.write_bytes(b"not gzip at all")
    before = snapshot()
    with pytest.raises(UnitDataError):
        load_units(path)
    assert snapshot() == before
