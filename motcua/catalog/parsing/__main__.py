"""Coverage report: how much of a catalogue export parses without issues.

    python -m motcua.catalog.parsing national-catalogue.json [--top 15] [--examples 2]

Reports all records and, separately, the province- and commune-level ones (those are what a
province imports). Reasons are counted once per record. Not a test: the catalogue file is
reference data outside the project.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from motcua.catalog.parsing.issues import issue_reason
from motcua.catalog.parsing.record import Level, ParsedProcedure, parse_record


def _report(
    title: str, parsed: Sequence[ParsedProcedure], *, top: int, examples: int
) -> Iterable[str]:
    flagged = [p for p in parsed if p.flagged]
    total = len(parsed)
    full = total - len(flagged)
    share = f" ({full / total:.1%})" if total else ""
    yield f"{title}: {total} records, {full} parse fully{share}, {len(flagged)} flagged"
    reasons: Counter[str] = Counter()
    codes: defaultdict[str, list[str]] = defaultdict(list)
    for procedure in flagged:
        for reason in dict.fromkeys(issue_reason(issue) for issue in procedure.issues):
            reasons[reason] += 1
            codes[reason].append(procedure.national_code)
    only: Counter[str] = Counter(
        issue_reason(p.issues[0]) for p in flagged if len({issue_reason(i) for i in p.issues}) == 1
    )
    for reason, count in reasons.most_common(top):
        sample = ", ".join(codes[reason][:examples])
        alone = f"({only[reason]:4d} with no other reason)"
        yield f"  {count:5d} records  {alone}  {reason}  e.g. {sample}"
    if len(reasons) > top:
        yield f"  … and {len(reasons) - top} more reasons"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua.catalog.parsing")
    parser.add_argument("path", type=Path, help="catalogue export: a JSON list of records")
    parser.add_argument("--top", type=int, default=15, help="reasons to list (default 15)")
    parser.add_argument("--examples", type=int, default=2, help="codes shown per reason")
    args = parser.parse_args(argv)
    records = json.loads(args.path.read_text(encoding="utf-8"))
    parsed = [parse_record(record) for record in records]
    local = [p for p in parsed if {Level.PROVINCE, Level.COMMUNE} & set(p.levels)]
    lines = [
        *_report("All records", parsed, top=args.top, examples=args.examples),
        "",
        *_report("Province or commune level", local, top=args.top, examples=args.examples),
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
