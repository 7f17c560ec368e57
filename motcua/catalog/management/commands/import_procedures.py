"""manage.py import_procedures FILE: import the national portal's procedure records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.catalog.errors import CatalogueFileError
from motcua.catalog.importing import SEED_FILE, USAGE_FILE, import_records, read_records, read_usage

LEVELS = ("ministry", "province", "commune", "other")


class Command(BaseCommand):
    help = (
        "Import procedure records in the national portal's format (.json or .json.gz). "
        "Re-importing the same file changes nothing; a changed record makes a new version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            default=SEED_FILE,
            help="Records file (default: the catalogue the project carries).",
        )
        parser.add_argument(
            "--usage",
            type=Path,
            default=USAGE_FILE,
            help="Usage weights {code: dossiers per year} for ranking.",
        )
        parser.add_argument(
            "--levels",
            default="",
            help=f"Comma-separated levels to keep ({', '.join(LEVELS)}); default: all.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        levels = [level.strip() for level in options["levels"].split(",") if level.strip()]
        unknown = sorted(set(levels) - set(LEVELS))
        if unknown:
            raise CommandError(f"Unknown level(s): {', '.join(unknown)}. Use {', '.join(LEVELS)}.")
        path: Path = options["file"]
        quiet = options["verbosity"] == 0
        try:
            records = read_records(path)
            usage = read_usage(options["usage"]) if options["usage"] else {}
            with tqdm(
                total=len(records),
                desc="Thủ tục / procedures",
                unit="record",
                disable=quiet,
                file=self.stderr._out,
            ) as bar:
                run = import_records(
                    records,
                    source=path.name,
                    usage=usage,
                    levels=levels or None,
                    progress=bar.update,
                )
        except CatalogueFileError as exc:
            raise CommandError(exc.msg) from exc
        if not quiet:
            self.stdout.write(
                f"Procedures: {run.total} records — {run.new} new, {run.changed} changed, "
                f"{run.unchanged} unchanged, {run.flagged} flagged for review"
                + (f", {run.skipped} skipped (other levels)" if run.skipped else "")
                + "."
            )
