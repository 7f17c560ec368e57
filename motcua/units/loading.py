"""Loading the unit register from the compact data file the project carries.

The file (units.json.gz, built by scripts/build_units_data.py from the official conversion table
and the current GSO list) is the single source; loading is an idempotent upsert keyed by
(code, valid_from), so running it again changes nothing and a corrected file updates in place.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from motcua.common.text import fold, normalise_name
from motcua.units.errors import UnitDataError
from motcua.units.models import SuccessionKind, Unit, UnitSuccession, UnitType

DATA_FILE = Path(__file__).resolve().parent / "data" / "units.json.gz"

Key = tuple[str, dt.date | None]
Progress = Callable[[int], None]


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    type: UnitType
    parent: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str

    @property
    def key(self) -> Key:
        return (self.code, self.valid_from)


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def read_data_file(path: Path = DATA_FILE) -> dict[str, Any]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data: dict[str, Any] = json.load(handle)
    except (OSError, ValueError) as exc:
        raise UnitDataError(f"{path.name}: {exc}") from exc
    if not isinstance(data.get("units"), list) or not isinstance(data.get("successions"), list):
        raise UnitDataError(f"{path.name}: 'units' and 'successions' lists are required")
    return data


def _parse_rows(raw_units: list[list[Any]]) -> list[_Row]:
    rows: list[_Row] = []
    seen: dict[Key, int] = {}
    for position, raw in enumerate(raw_units):
        try:
            code, name, kind, parent, valid_from, valid_to, note = raw
            row = _Row(
                str(code),
                normalise_name(name),
                UnitType(kind),
                None if parent is None else int(parent),
                _date(valid_from),
                _date(valid_to),
                note or "",
            )
        except (ValueError, TypeError) as exc:
            raise UnitDataError(f"unit #{position}: {exc}") from exc
        if not row.code.isdigit():
            raise UnitDataError(f"unit #{position}: code {row.code!r} is not a GSO code")
        if row.key in seen:
            raise UnitDataError(
                f"duplicate unit code {row.code} (valid from {row.valid_from or 'the start'}) "
                f"at #{seen[row.key]} and #{position}"
            )
        if row.parent is not None and not 0 <= row.parent < position:
            raise UnitDataError(f"unit #{position}: parent #{row.parent} must come before it")
        seen[row.key] = position
        rows.append(row)
    return rows


def _province_code(rows: list[_Row], position: int) -> str:
    row = rows[position]
    while row.parent is not None:
        row = rows[row.parent]
    return row.code


def _values(row: _Row, parent_id: int | None, province_code: str) -> dict[str, Any]:
    return {
        "name": row.name,
        "name_folded": fold(row.name),
        "type": row.type.value,
        "level": row.type.level.value,
        "parent_id": parent_id,
        "province_code": province_code,
        "valid_to": row.valid_to,
        "note": row.note,
    }


def _by_depth(rows: list[_Row]) -> list[list[int]]:
    depth: list[int] = []
    for row in rows:
        depth.append(0 if row.parent is None else depth[row.parent] + 1)
    layers: list[list[int]] = [[] for _ in range(max(depth, default=-1) + 1)]
    for position, d in enumerate(depth):
        layers[d].append(position)
    return layers


@transaction.atomic
def load_units(path: Path = DATA_FILE, *, progress: Progress | None = None) -> LoadSummary:
    """Upsert every unit and succession link of the data file; all or nothing.

    Raises UnitDataError (nothing written) when the file is unreadable or contradicts itself:
    a duplicate (code, valid_from), a parent that does not precede its child, an unknown type.
    """
    data = read_data_file(path)
    rows = _parse_rows(data["units"])
    summary = LoadSummary()
    existing: dict[Key, Unit] = {(u.code, u.valid_from): u for u in Unit.objects.all()}
    ids: list[int] = [0] * len(rows)

    for layer in _by_depth(rows):
        to_create: list[tuple[int, Unit]] = []
        to_update: list[Unit] = []
        for position in layer:
            row = rows[position]
            parent_id = None if row.parent is None else ids[row.parent]
            values = _values(row, parent_id, _province_code(rows, position))
            unit = existing.get(row.key)
            if unit is None:
                to_create.append(
                    (position, Unit(code=row.code, valid_from=row.valid_from, **values))
                )
            elif any(getattr(unit, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(unit, k, v)
                to_update.append(unit)
                ids[position] = unit.pk
            else:
                summary.unchanged += 1
                ids[position] = unit.pk
        for chunk in _chunks(to_create, 2000):
            created = Unit.objects.bulk_create([u for _, u in chunk])
            for (position, _), unit in zip(chunk, created, strict=True):
                ids[position] = unit.pk
            if progress:
                progress(len(chunk))
        if to_update:
            Unit.objects.bulk_update(
                to_update, [*_values(rows[0], None, "").keys()], batch_size=2000
            )
        summary.created += len(to_create)
        summary.updated += len(to_update)
        if progress:
            progress(len(layer) - len(to_create))

    _load_successions(data["successions"], rows, ids, summary)
    for unit_type in UnitType:
        summary.counts[unit_type.value] = Unit.objects.current().filter(type=unit_type).count()
    return summary


def _load_successions(
    raw: list[list[Any]], rows: list[_Row], ids: list[int], summary: LoadSummary
) -> None:
    existing = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
    to_create: list[UnitSuccession] = []
    to_update: list[UnitSuccession] = []
    for position, item in enumerate(raw):
        try:
            pred, succ, kind, effective, note = item
            kind = SuccessionKind(kind)
            effective_date = _date(effective)
            pred_id, succ_id = ids[int(pred)], ids[int(succ)]
        except (ValueError, TypeError, IndexError) as exc:
            raise UnitDataError(f"succession #{position}: {exc}") from exc
        if effective_date is None:
            raise UnitDataError(f"succession #{position}: an effective date is required")
        link = existing.get((pred_id, succ_id))
        if link is None:
            to_create.append(
                UnitSuccession(
                    predecessor_id=pred_id,
                    successor_id=succ_id,
                    kind=kind,
                    effective=effective_date,
                    note=normalise_name(note or ""),
                )
            )
        elif (link.kind, link.effective, link.note) != (kind, effective_date, note or ""):
            link.kind, link.effective, link.note = kind, effective_date, normalise_name(note or "")
            to_update.append(link)
    UnitSuccession.objects.bulk_create(to_create, batch_size=2000)
    UnitSuccession.objects.bulk_update(to_update, ["kind", "effective", "note"], batch_size=2000)
    summary.successions_created = len(to_create)
    summary.successions_updated = len(to_update)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
