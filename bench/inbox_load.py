"""The officials' inbox under a backlog: p50 / p95 per role and tab, and its SQL statements.

    .venv/bin/python bench/inbox_load.py \
        --database-url postgres://postgres@127.0.0.1:5432/motcua_bench_inbox --rounds 40

Each request goes through the whole Django stack in this process (middleware, session, the
view, the template), DEBUG off, with the Django test client signed in as each demo official:
demo.receiver (the counter of H08.01), demo.specialist, demo.leader and demo.clerk (H08.10) and
demo.manager (the province, read-only). Every tab of each official is fetched `--rounds` times
after 3 warm-up requests, in a shuffled order, plus a search by applicant name and one with
filters. Prepare the database with generate_dossiers.py and inbox_backlog.py (BENCHMARKS.md).
Prints a Markdown table: requests, statements per request, p50, p95, max, rows on the page.
"""

from __future__ import annotations

import random

from page_timing import Case, arguments, measure, report, setup_django, signed_in

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_inbox"
OFFICIALS = ("demo.receiver", "demo.specialist", "demo.leader", "demo.clerk", "demo.manager")


def main() -> None:
    parser = arguments(__doc__, DEFAULT_URL)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    setup_django(args.database_url)
    from motcua.accounts.models import User
    from motcua.common.text import fold

    clients = signed_in(OFFICIALS)
    cases: list[Case] = []
    for username, client in clients.items():
        response = client.get("/can-bo/")
        assert response.status_code == 200, (username, response.status_code)
        cases.append(Case(username, "all", ["/can-bo/"], _rows))
        cases.extend(
            Case(username, f"{tab.key} ({tab.count:,})", [f"/can-bo/?tab={tab.key}"], _rows)
            for group in response.context["groups"]
            for tab in group.tabs
        )
    name = User.objects.filter(citizen__isnull=False).values_list("citizen__full_name", flat=True)[
        0
    ]
    surname = name.split()[-1]
    cases.append(
        Case(
            "demo.receiver",
            f"search '{surname}' (no accents)",
            [f"/can-bo/?q={fold(surname)}"],
            _rows,
        )
    )
    cases.append(
        Case(
            "demo.specialist",
            "filters: status 4, counter",
            ["/can-bo/?status=4&channel=counter"],
            _rows,
        )
    )
    measure(clients, cases, args.rounds, random.Random(args.seed))
    report(cases, "tab (count)", "rows")


def _rows(response: object) -> str:
    return str(len(response.context["rows"]))  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
