"""manage.py draft_apologies: draft the written apology for dossiers about to be late.

Run it periodically (a scheduler, or the task worker), e.g. every hour in office hours.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.apologies import do_draft_apologies


class Command(BaseCommand):
    help = "Draft apologies for running dossiers with less than one working day left."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = do_draft_apologies()
        if options["verbosity"]:
            self.stdout.write(
                f"Apologies drafted: {summary.drafted} ({summary.examined} dossiers examined)."
            )
