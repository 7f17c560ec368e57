"""manage.py checkpoint_audit: sign the heads of every audit chain as the next checkpoint.

Run it periodically — hourly, from the scheduler that runs draft_apologies — and export the
checkpoints to someone who keeps them (export_audit_checkpoints). It first runs the whole check
(verify_audit) and refuses to sign over a finding, since a checkpoint vouches for what it signs.
`--rotate-key` replaces the signing key first (the old public key stays trusted).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.dossiers.audit_scan import default_workers
from motcua.dossiers.checkpoints import do_take_checkpoint, rotate_signing_key


class Command(BaseCommand):
    help = "Verify every audit chain, then sign all chain heads as a new checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument(
            "--skip-verify",
            action="store_true",
            help="sign without checking first (only right after a check of your own)",
        )
        parser.add_argument(
            "--rotate-key",
            action="store_true",
            help="sign with a new key from now on; the old public key stays trusted",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["skip_verify"]:
            try:
                call_command(
                    "verify_audit",
                    workers=options["workers"],
                    verbosity=options["verbosity"],
                    stdout=self.stdout._out,
                    stderr=self.stderr._out,
                )
            except CommandError as error:
                # A checkpoint vouches for what it signs: never over a finding.
                raise CommandError(
                    _("%(error)s No checkpoint was signed.") % {"error": error}
                ) from None
        if options["rotate_key"]:
            key_id = rotate_signing_key()
            if options["verbosity"]:
                self.stdout.write(_("New signing key %(key_id)s.") % {"key_id": key_id})
        checkpoint = do_take_checkpoint()
        if options["verbosity"]:
            self.stdout.write(
                _(
                    "Checkpoint %(number)s: %(dossiers)s dossiers, %(events)s events, "
                    "root %(root)s, signed by key %(key_id)s."
                )
                % {
                    "number": checkpoint.number,
                    "dossiers": checkpoint.dossiers,
                    "events": checkpoint.events,
                    "root": checkpoint.root,
                    "key_id": checkpoint.key_id,
                }
            )
