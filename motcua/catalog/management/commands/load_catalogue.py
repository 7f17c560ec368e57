"""manage.py load_catalogue: import the carried catalogue and offer it in a province."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.offering import offer_catalogue_in_province
from motcua.common.errors import DomainError
from motcua.units.demo import DEMO_PROVINCE_CODE


class Command(BaseCommand):
    help = "Import the national records the project carries and offer them in a province."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default=DEMO_PROVINCE_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("import_procedures", verbosity=options["verbosity"])
        try:
            summary = offer_catalogue_in_province(options["province"])
        except DomainError as exc:
            raise CommandError(f"{exc.msg} Run `manage.py load_demo_province` first.") from exc
        if options["verbosity"]:
            self.stdout.write(
                f"Offerings in province {options['province']}: {summary.total} "
                f"({summary.created} new)."
            )
