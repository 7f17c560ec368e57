"""manage.py load_units: load (or refresh) the administrative unit register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.units.errors import UnitDataError
from motcua.units.loading import DATA_FILE, load_units, read_data_file


class Command(BaseCommand):
    help = "Load the administrative units (current and pre-2025) and their successions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=DATA_FILE,
            help="Compact unit data file (default: the one the project carries).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        quiet = options["verbosity"] == 0
        try:
            total = len(read_data_file(path)["units"])
            with tqdm(
                total=total,
                desc="Đơn vị hành chính / units",
                unit="unit",
                disable=quiet,
                file=self.stderr._out,
            ) as bar:
                summary = load_units(path, progress=bar.update)
        except UnitDataError as exc:
            raise CommandError(exc.msg) from exc
        if not quiet:
            self.stdout.write(
                f"Units: {summary.created} created, {summary.updated} updated, "
                f"{summary.unchanged} unchanged; successions: {summary.successions_created} "
                f"created, {summary.successions_updated} updated."
            )
            current = summary.counts
            provinces = current.get("province", 0) + current.get("city", 0)
            communes = sum(current.get(t, 0) for t in ("commune", "ward", "special_zone"))
            self.stdout.write(
                f"Current: {provinces} provinces/cities, {communes} communes/wards/special zones."
            )
