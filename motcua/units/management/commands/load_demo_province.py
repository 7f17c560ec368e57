"""manage.py load_demo_province: agencies and counters of the demo province (Tuyên Quang)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.common.errors import DomainError
from motcua.units.demo import DEMO_PROVINCE_CODE, seed_demo_province


class Command(BaseCommand):
    help = "Create or refresh the agencies and counters of a province (default: 08 Tuyên Quang)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default=DEMO_PROVINCE_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = seed_demo_province(options["province"])
        except DomainError as exc:
            raise CommandError(f"{exc.msg} Run `manage.py load_units` first.") from exc
        if options["verbosity"]:
            self.stdout.write(f"Agencies: {summary.total} ({summary.created} new).")
