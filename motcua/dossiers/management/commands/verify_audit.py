"""manage.py verify_audit: recompute every dossier's event chain and name any that was altered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from motcua.dossiers.audit import verify_all
from motcua.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Check the hash chain of every dossier's audit events; fail if any was altered."

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["verbosity"] == 0
        problems = []
        total = Dossier.objects.count()
        with tqdm(
            total=total,
            desc="Kiểm tra nhật ký / audit",
            unit="dossier",
            disable=quiet,
            file=self.stderr._out,
        ) as bar:
            for problem in verify_all():
                bar.update(1)
                if problem is not None:
                    problems.append(problem)
        for p in problems:
            self.stdout.write(f"{p.dossier_code}: event {p.seq}: {p.reason}")
        if problems:
            raise CommandError(f"{len(problems)} of {total} dossiers have an altered history.")
        if not quiet:
            self.stdout.write(f"All {total} dossier histories are intact.")
