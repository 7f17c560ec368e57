"""manage.py verify_audit: check every audit chain, its head and the signed checkpoints.

Exits non-zero on any finding: an event altered or missing, a chain that ends before (or past)
the head kept on its dossier, a chain rewritten or shortened since the newest checkpoint, a
dossier removed or renamed since then, a checkpoint whose signature fails or that does not follow
the one before. Runs `--workers` processes over id ranges (default: one per core).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import localize
from django.utils.translation import gettext as _
from tqdm import tqdm

from motcua.dossiers.audit_scan import Report, default_workers, verify_audit
from motcua.dossiers.models import Dossier


class Command(BaseCommand):
    help = (
        "Check every dossier's audit chain against its head and the signed checkpoints; "
        "fail on any finding."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="processes checking id ranges in parallel (default: one per core)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["verbosity"] == 0
        with tqdm(
            total=Dossier.objects.count(),
            desc="Kiểm tra nhật ký / audit",
            unit="dossier",
            disable=quiet,
            file=self.stderr._out,
        ) as bar:
            report = verify_audit(workers=max(options["workers"], 1), on_progress=bar.update)
        for finding in report.findings:
            where = _("event %(seq)s: ") % {"seq": finding.seq} if finding.seq else ""
            self.stdout.write(f"{finding.subject}: {where}{finding.message}")
        if not quiet:
            self.stdout.write(summary(report))
        if report.findings:
            dossiers = {f.subject for f in report.findings if not f.about_checkpoints}
            raise CommandError(
                _(
                    "%(dossiers)s of %(total)s dossiers have an altered history; "
                    "%(checkpoints)s findings about the checkpoints."
                )
                % {
                    "dossiers": len(dossiers),
                    "total": report.dossiers,
                    "checkpoints": sum(f.about_checkpoints for f in report.findings),
                }
            )
        if not quiet:
            self.stdout.write(
                _("All %(total)s dossier histories are intact.") % {"total": report.dossiers}
            )


def summary(report: Report) -> str:
    """The totals, and what changed since the newest checkpoint."""
    rate = report.dossiers / report.seconds if report.seconds else 0
    lines = [
        _(
            "Checked %(dossiers)s dossiers and %(events)s events with %(workers)s workers "
            "in %(seconds)s s (%(rate)s dossiers/s)."
        )
        % {
            "dossiers": report.dossiers,
            "events": report.events,
            "workers": report.workers,
            "seconds": localize(round(report.seconds, 1)),
            "rate": round(rate),
        }
    ]
    checkpoint = report.checkpoint
    if checkpoint is None:
        lines.append(_("No checkpoint yet: run manage.py checkpoint_audit."))
    else:
        lines.append(
            _(
                "Since checkpoint %(number)s (%(at)s): %(added)s dossiers added, %(grown)s with "
                "new events, %(removed)s removed, %(rewritten)s rewritten or shortened."
            )
            % {
                "number": checkpoint.number,
                "at": checkpoint.created_at.isoformat(timespec="seconds"),
                "added": report.added,
                "grown": report.grown,
                "removed": report.count("removed"),
                "rewritten": report.count("rewritten", "shortened"),
            }
        )
    return "\n".join(lines)
