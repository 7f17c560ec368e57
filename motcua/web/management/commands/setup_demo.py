"""manage.py setup_demo: everything `make run` needs, idempotent.

Reference data (administrative units, the national procedure catalogue), the demo province's
agencies and offerings, and one demo account per role, whose login is printed at the end.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.units.demo import DEMO_PROVINCE_CODE, province_agency_code


class Command(BaseCommand):
    help = "Load reference data and the demo province, and create the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("load_units", verbosity=verbosity)
        call_command("load_demo_province", province=DEMO_PROVINCE_CODE, verbosity=verbosity)
        call_command("load_catalogue", province=DEMO_PROVINCE_CODE, verbosity=verbosity)
        h = province_agency_code(DEMO_PROVINCE_CODE)
        call_command(
            "create_demo_accounts",
            centre_agency=f"{h}.01",
            department_agency=f"{h}.10",
            province_agency=h,
            verbosity=verbosity,
        )
