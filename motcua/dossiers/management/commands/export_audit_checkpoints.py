"""manage.py export_audit_checkpoints: the signed checkpoints as JSON lines, for safekeeping.

Each line is {"signature": "<base64>", "statement": {...}} (format in dossiers.checkpoints);
anyone with the public keys (settings.MOTCUA_AUDIT_PUBLIC_KEYS, or `--public-keys`) checks them
with scripts/verify_checkpoint_export.py, without the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.checkpoints import export_line, public_key_pem, trusted_keys
from motcua.dossiers.models import AuditCheckpoint


class Command(BaseCommand):
    help = "Write every audit checkpoint (or those after --after) as one JSON line each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--after", type=int, default=0, help="only checkpoints numbered above")
        parser.add_argument("--output", "-o", help="a file to append to (default: stdout)")
        parser.add_argument(
            "--public-keys",
            action="store_true",
            help="print the trusted public keys (PEM) instead",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["public_keys"]:
            for key in trusted_keys().values():
                self.stdout.write(public_key_pem(key).decode(), ending="")
            return
        lines = (
            export_line(c)
            for c in AuditCheckpoint.objects.filter(number__gt=options["after"]).order_by("number")
        )
        if options["output"]:
            with Path(options["output"]).open("a", encoding="ascii") as out:
                out.writelines(f"{line}\n" for line in lines)
        else:
            for line in lines:
                self.stdout.write(line)
