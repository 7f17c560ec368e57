"""Give one service centre and one department a backlog of open dossiers, for the inbox bench.

    .venv/bin/python bench/inbox_backlog.py --open 12000 \
        --database-url postgres://postgres@127.0.0.1:5432/motcua_bench_inbox

`generate_dossiers.py` writes realistic histories: almost every dossier older than a few weeks
is finished, so even 1 M dossiers leave a few hundred open at any agency. The inbox must stay
fast for an agency with a backlog of 10,000 open dossiers, so this script reopens the newest
`--open` dossiers received at `--centre` (default H08.01, the provincial service centre) and
moves them to `--department` (default H08.10, where demo.specialist, demo.leader and
demo.clerk work), spread over the stages an inbox shows:

    submitted 14 %, supplement requested 4 %, supplement received 4 %, appraising 38 %
    (half of them assigned to demo.specialist, a quarter to nobody), with another agency 2 %,
    awaiting approval 12 %, awaiting signature 8 %, signed 6 %, result ready 12 %;

due times spread from 5 days ago to 20 days ahead (so some are overdue, due today or at risk).
Only the dossier rows change: their events and steps still tell the finished story, so
`verify_audit` would report these chains. The inbox reads dossier rows only; use this on a
benchmark database, never on one you keep (names `motcua_bench_*` only).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_inbox"
# (stage, national status, share in per cent, accepted)
STAGES = (
    ("submitted", 1, 14, False),
    ("supplement_requested", 5, 4, True),
    ("supplement_received", 5, 4, True),
    ("appraising", 4, 38, True),
    ("inter_agency", 4, 2, True),
    ("awaiting_approval", 4, 12, True),
    ("awaiting_signature", 4, 8, True),
    ("signed", 4, 6, True),
    ("result_ready", 9, 12, True),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--open", type=int, default=12_000, help="dossiers to reopen")
    parser.add_argument("--centre", default="H08.01")
    parser.add_argument("--department", default="H08.10")
    parser.add_argument("--specialist", default="demo.specialist")
    args = parser.parse_args()
    if "/motcua_bench_" not in args.database_url:
        sys.exit("refusing: the database name must start with motcua_bench_")
    import psycopg

    started = time.monotonic()
    with psycopg.connect(args.database_url.replace("postgres://", "postgresql://")) as conn:
        centre = _one(conn, "SELECT id FROM units_agency WHERE code = %s", args.centre)
        department = _one(conn, "SELECT id FROM units_agency WHERE code = %s", args.department)
        specialist = _one(
            conn,
            "SELECT o.id FROM accounts_official o JOIN accounts_user u ON u.id = o.user_id"
            " WHERE u.username = %s",
            args.specialist,
        )
        # Bucket each chosen dossier by its rank: stage by share, then its due time.
        bounds = []
        low = 0
        for stage, status, share, accepted in STAGES:
            high = low + share
            bounds.append((low, high, stage, status, accepted))
            low = high
        stage_sql = " ".join(f"WHEN r %% 100 < {h} THEN '{s}'" for _l, h, s, _st, _a in bounds)
        status_sql = " ".join(f"WHEN r %% 100 < {h} THEN {st}" for _l, h, _s, st, _a in bounds)
        conn.execute("SELECT setseed(0.2026)")
        cur = conn.execute(
            f"""
            WITH chosen AS (
                SELECT id, row_number() OVER (ORDER BY submitted_at DESC, id DESC) AS r
                FROM dossiers_dossier WHERE receiving_agency_id = %(centre)s
                ORDER BY submitted_at DESC, id DESC LIMIT %(n)s
            ), planned AS (
                SELECT id, r, CASE {stage_sql} END AS stage, CASE {status_sql} END AS status
                FROM chosen
            )
            UPDATE dossiers_dossier d SET
                stage = p.stage,
                status = p.status,
                resume_stage = CASE WHEN p.stage LIKE 'supplement%%' THEN 'appraising' ELSE '' END,
                finished_at = NULL,
                returned_at = NULL,
                outcome = '',
                accepted_at = CASE WHEN p.stage = 'submitted' THEN NULL
                    ELSE now() - interval '6 days' END,
                counted_from = CASE WHEN p.stage = 'submitted' THEN NULL
                    ELSE now() - interval '6 days' END,
                submitted_at = CASE WHEN p.stage = 'submitted'
                    THEN now() - (p.r %% 72) * interval '1 hour' ELSE d.submitted_at END,
                due_at = CASE WHEN p.stage = 'submitted' THEN NULL
                    ELSE now() + ((p.r * 7919) %% 2500 - 500) * interval '12 minutes' END,
                due_date = NULL,
                paused_at = CASE WHEN p.stage LIKE 'supplement%%'
                    THEN now() - interval '2 days' ELSE NULL END,
                competent_agency_id = %(department)s,
                current_agency_id = CASE WHEN p.stage = 'submitted' THEN %(centre)s
                    ELSE %(department)s END,
                assignee_id = CASE
                    WHEN p.stage IN ('submitted', 'supplement_requested',
                        'supplement_received') THEN NULL
                    WHEN p.r %% 4 = 0 THEN NULL
                    WHEN p.r %% 4 IN (1, 2) THEN %(specialist)s
                    ELSE d.assignee_id END,
                row_version = d.row_version + 1
            FROM planned p WHERE d.id = p.id
            """,
            {"centre": centre, "department": department, "specialist": specialist, "n": args.open},
        )
        print(f"reopened {cur.rowcount:,} dossiers received at {args.centre}")
        conn.commit()
    with psycopg.connect(
        args.database_url.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute("VACUUM ANALYZE dossiers_dossier")
    print(f"done in {time.monotonic() - started:.1f} s")


def _one(conn: object, sql: str, value: str) -> int:
    row = conn.execute(sql, (value,)).fetchone()  # type: ignore[attr-defined]
    if row is None:
        sys.exit(f"not found: {value}")
    return int(row[0])


if __name__ == "__main__":
    main()
