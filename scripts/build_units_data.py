"""Build motcua/units/data/units.json.gz from the reference data in ../shared/data/units/.

Run once when the reference data changes; the product reads only the compact file it carries.

    python scripts/build_units_data.py ../shared/data/units

Sources (public government data): the official old → new conversion table of the 1 July 2025
reform, the list of 34 provinces (Resolution 202/2025/QH15), and the current list of units
including the 30 April 2026 changes (thanglequoc/vietnamese-provinces-database, MIT).

Output (gzip JSON): {"sources": [...], "units": [[code, name, type, parent_index, valid_from,
valid_to, note], ...], "successions": [[pred_index, succ_index, kind, effective, note], ...]}.
Indices refer to positions in "units"; dates are ISO strings or null.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

REFORM = "2025-07-01"
# Resolution of the National Assembly Standing Committee effective 30 April 2026: Đồng Nai became a
# centrally run city and ten of its communes became wards (codes unchanged).
DONG_NAI_CHANGE = "2026-04-30"
# Xã Ba Chẽ (Quảng Ninh): the conversion table gives 06970, the code of the former Thị trấn Ba
# Chẽ; the current GSO list gives 06978. The current list wins; the table is read through this map.
CODE_FIXES = {"06970": "06978"}

OUT = Path(__file__).resolve().parent.parent / "motcua" / "units" / "data" / "units.json.gz"

_SPACES = re.compile(r"\s+")
_CODE_IN_PARENS = re.compile(r"^(.*?)\s*\((\d+)\)\s*$")


def clean(name: str) -> str:
    name = unicodedata.normalize("NFC", name).replace("’", "'")
    name = _SPACES.sub(" ", name).strip()
    return name[:1].upper() + name[1:]


_PREFIXES = [
    ("thành phố ", None),  # decided by level
    ("thị trấn ", "township"),
    ("thi trấn ", "township"),  # a typo in the table
    ("thị xã ", "town"),
    ("đặc khu ", "special_zone"),
    ("phường ", "ward"),
    ("xã ", "commune"),
    ("quận ", "urban_district"),
    ("huyện ", "district"),
    ("tỉnh ", "province"),
]


def unit_type(name: str, level: int) -> str:
    lowered = name.lower()
    for prefix, kind in _PREFIXES:
        if lowered.startswith(prefix):
            if kind is None:
                return "city" if level == 1 else "provincial_city"
            if prefix == "thi trấn ":
                return kind
            return kind
    return {1: "province", 2: "district", 3: "commune"}[level]


def fix_prefix_case(name: str) -> str:
    """ "Thị Xã Kinh Môn" and "Thành Phố Đồng Hới" → the usual lower-case second word."""
    for wrong, right in (
        ("Thị Xã ", "Thị xã "),
        ("Thành Phố ", "Thành phố "),
        ("Thi trấn ", "Thị trấn "),
        ("Thị Trấn ", "Thị trấn "),
    ):
        if name.startswith(wrong):
            return right + name[len(wrong) :]
    return name


def succession_kind(note: str) -> str:
    n = note.lower()
    if n.startswith("sắp xếp toàn bộ huyện"):
        return "reorganised"
    if "đổi loại hình" in n:
        return "reclassified"
    if n.startswith("đổi tên"):
        return "renamed"
    if n.startswith("giữ nguyên"):
        return "unchanged"
    if "toàn bộ" in n and "một phần" not in n:
        return "whole"
    return "partial"


def build(src: Path) -> dict[str, object]:
    units: list[list[object]] = []
    index: dict[tuple[str, str | None], int] = {}

    def add(
        code: str,
        name: str,
        kind: str,
        parent: int | None,
        valid_from: str | None,
        valid_to: str | None,
        note: str = "",
    ) -> int:
        key = (code, valid_from)
        if key in index:
            return index[key]
        index[key] = len(units)
        units.append([code, name, kind, parent, valid_from, valid_to, note])
        return index[key]

    successions: dict[tuple[int, int], list[object]] = {}

    def link(pred: int, succ: int, kind: str, effective: str, note: str = "") -> None:
        successions.setdefault((pred, succ), [pred, succ, kind, effective, note])

    # Current units (2025-07-01, with the 2026-04-30 changes).
    current = json.loads((src / "current-units.json").read_text(encoding="utf-8"))
    table = list(csv.reader((src / "conversion-2025-07-01.csv").open(encoding="utf-8")))[2:]
    table_names = {CODE_FIXES.get(r[2].strip(), r[2].strip()): clean(r[1]) for r in table if r[2]}

    province_rows: dict[str, int] = {}
    commune_rows_2025: dict[str, int] = {}
    for province in current:
        pcode, pname = province["Code"], clean(province["FullName"])
        if pcode == "75":
            old = add(pcode, "Tỉnh Đồng Nai", "province", None, REFORM, DONG_NAI_CHANGE)
            new = add(pcode, pname, "city", None, DONG_NAI_CHANGE, None)
            link(old, new, "reclassified", DONG_NAI_CHANGE, "Tỉnh Đồng Nai → Thành phố Đồng Nai")
            province_rows[pcode] = new
            province_2025 = old
        else:
            province_rows[pcode] = add(pcode, pname, unit_type(pname, 1), None, REFORM, None)
            province_2025 = province_rows[pcode]
        for ward in province["Wards"]:
            code, name = ward["Code"], clean(ward["FullName"])
            kind = unit_type(name, 3)
            before = table_names.get(code, name)
            if unit_type(before, 3) != kind:
                # Reclassified on 2026-04-30 (xã → phường): keep the 2025 version as history.
                old = add(
                    code, before, unit_type(before, 3), province_2025, REFORM, DONG_NAI_CHANGE
                )
                new = add(code, name, kind, province_rows[pcode], DONG_NAI_CHANGE, None)
                link(old, new, "reclassified", DONG_NAI_CHANGE, f"{before} → {name}")
                commune_rows_2025[code] = old
            else:
                commune_rows_2025[code] = add(code, name, kind, province_rows[pcode], REFORM, None)

    # Historical units (until 2025-07-01) and the conversion links.
    old_provinces: dict[str, int] = {}
    old_districts: dict[str, int] = {}
    old_communes: dict[str, int] = {}
    province_successors: dict[str, set[str]] = defaultdict(set)
    for r in table:
        if not r[2]:
            continue
        new_code = CODE_FIXES.get(r[2].strip(), r[2].strip())
        new_row = commune_rows_2025[new_code]
        note = clean(r[5])
        pm = _CODE_IN_PARENS.match(clean(r[7]))
        dm = _CODE_IN_PARENS.match(clean(r[6]))
        assert pm and dm, r
        pname, pcode = pm.group(1), pm.group(2)
        if not pname.lower().startswith(("tỉnh ", "thành phố ")):
            pname = "Tỉnh " + pname  # "Quảng Trị (44)" in one row
        if pcode not in old_provinces:
            old_provinces[pcode] = add(pcode, pname, unit_type(pname, 1), None, None, REFORM)
        new_pm = _CODE_IN_PARENS.match(clean(r[0]))
        assert new_pm, r
        province_successors[pcode].add(new_pm.group(2))
        dname, dcode = fix_prefix_case(dm.group(1)), dm.group(2)
        if dcode not in old_districts:
            old_districts[dcode] = add(
                dcode, dname, unit_type(dname, 2), old_provinces[pcode], None, REFORM
            )
        old_code, old_name = r[4].strip(), fix_prefix_case(clean(r[3]))
        kind = succession_kind(note)
        if kind == "reorganised":
            # An island district became a special zone: the district is the predecessor.
            link(old_districts[dcode], new_row, kind, REFORM, note)
            continue
        if not old_code:
            # Xã Kim Đông took over "the coastal alluvial area managed by Kim Sơn district",
            # which was no administrative unit and has no code.
            units[new_row][6] = f"Tiền thân: {old_name}" if old_name else ""
            continue
        if old_code not in old_communes:
            old_communes[old_code] = add(
                old_code, old_name, unit_type(old_name, 3), old_districts[dcode], None, REFORM
            )
        link(old_communes[old_code], new_row, kind, REFORM, note)

    current_province_by_code = {units[i][0]: i for i in province_rows.values()}
    current_province_by_code["75"] = index[("75", REFORM)]
    for old_code, new_codes in province_successors.items():
        kind = "whole" if len(new_codes) == 1 else "partial"
        for new_code in sorted(new_codes):
            link(old_provinces[old_code], current_province_by_code[new_code], kind, REFORM)

    return {
        "sources": [
            "Conversion table of the 1 July 2025 reform (Standing Committee resolutions)",
            "34 provinces, Resolution 202/2025/QH15",
            "thanglequoc/vietnamese-provinces-database (MIT), with the 30 April 2026 changes",
        ],
        "units": units,
        "successions": list(successions.values()),
    }


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/units")
    data = build(src)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0 keeps the file byte-identical across rebuilds of the same data.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(payload)
    print(f"{len(data['units'])} units, {len(data['successions'])} successions -> {OUT}")


if __name__ == "__main__":
    main()
