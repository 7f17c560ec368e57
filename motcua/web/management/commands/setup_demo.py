"""manage.py setup_demo: everything `make run` needs, idempotent.

Reference data (administrative units, the national procedure catalogue), the demo province's
agencies and offerings, and one demo account per role, whose login is printed at the end with
the address the site is served at (MOTCUA_PUBLIC_URL). The demo password stays the same from one
run to the next (create_demo_accounts), so a second run changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.units.demo import DEMO_PROVINCE_CODE, province_agency_code


class Command(BaseCommand):
    help = "Load reference data and the demo province, and create the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        # The same streams for every step, so a caller capturing the output gets all of it.
        out = {
            "verbosity": options["verbosity"],
            "stdout": self.stdout._out,
            "stderr": self.stderr._out,
        }
        call_command("load_units", **out)
        call_command("load_demo_province", province=DEMO_PROVINCE_CODE, **out)
        call_command("load_catalogue", province=DEMO_PROVINCE_CODE, **out)
        h = province_agency_code(DEMO_PROVINCE_CODE)
        call_command(
            "create_demo_accounts",
            centre_agency=f"{h}.01",
            department_agency=f"{h}.10",
            province_agency=h,
            **out,
        )
        self.stdout.write(f"Open {settings.MOTCUA_PUBLIC_URL}/ and sign in with a demo account.")
