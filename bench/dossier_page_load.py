"""The officials' dossier page under a backlog: p50 / p95 per official and stage, and statements.

    .venv/bin/python bench/dossier_page_load.py --per-case 40 \
        --database-url postgres://postgres@127.0.0.1:5432/motcua_bench_page

Prepare the database as for the inbox bench (BENCHMARKS.md): generate_dossiers.py, then
inbox_backlog.py, so that H08.10 holds open dossiers at every stage. Each case opens
`--per-case` different dossiers of one stage, each once (after 3 warm-up requests on others),
in a shuffled order across cases, through the whole Django stack in this process (session,
middleware, the view asking the engine for the next actions and the due-date explanation, the
template), DEBUG off: demo.specialist, demo.leader and demo.clerk (H08.10) on the stages they
act on, demo.receiver (H08.01) on the dossiers waiting for acceptance and on finished ones with
a full history, demo.manager (the province, read-only) on a mix.
"""

from __future__ import annotations

import random

from page_timing import Case, arguments, measure, report, setup_django, signed_in

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_page"
# (official, stage or "finished", the agency whose dossiers these are: current or receiving)
CASES = (
    ("demo.receiver", "submitted", "H08.01"),
    ("demo.receiver", "finished", "H08.01"),
    ("demo.specialist", "appraising", "H08.10"),
    ("demo.specialist", "supplement_requested", "H08.10"),
    ("demo.leader", "awaiting_approval", "H08.10"),
    ("demo.clerk", "awaiting_signature", "H08.10"),
    ("demo.clerk", "result_ready", "H08.10"),
    ("demo.manager", "appraising", "H08.10"),
    ("demo.manager", "finished", "H08.01"),
)


def main() -> None:
    parser = arguments(__doc__, DEFAULT_URL)
    parser.add_argument("--per-case", type=int, default=40)
    args = parser.parse_args()
    setup_django(args.database_url)
    from motcua.dossiers.models import Dossier

    rng = random.Random(args.seed)
    clients = signed_in(sorted({official for official, _stage, _agency in CASES}))
    cases = []
    for official, stage, agency in CASES:
        open_ = stage != "finished"
        rows = Dossier.objects.filter(
            **({"stage": stage, "current_agency__code": agency} if open_ else {}),
            **({} if open_ else {"finished_at__isnull": False, "receiving_agency__code": agency}),
        ).order_by("-submitted_at" if open_ else "-finished_at")
        codes = list(rows.values_list("code", flat=True)[: args.per_case * 5])
        if len(codes) < args.per_case:
            raise SystemExit(f"{agency} has {len(codes)} dossiers at {stage}: run inbox_backlog.py")
        codes = rng.sample(codes, args.per_case)
        cases.append(
            Case(official, f"{stage} ({agency})", [f"/can-bo/ho-so/{c}/" for c in codes], _shown)
        )
    measure(clients, cases, args.per_case, rng)
    report(cases, "stage (agency)", "buttons / events")


def _shown(response: object) -> str:
    context = response.context  # type: ignore[attr-defined]
    return f"{len(context['action_forms'])} / {len(context['events'])}"


if __name__ == "__main__":
    main()
