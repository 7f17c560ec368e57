"""Exit 0 if the PostgreSQL server named by the URL in argv[1] accepts a connection."""

from __future__ import annotations

import sys

import dj_database_url
import psycopg


def main() -> int:
    cfg = dj_database_url.parse(sys.argv[1])
    try:
        # The test database is created by the suite; the server is reached via "postgres".
        psycopg.connect(
            host=cfg["HOST"] or "127.0.0.1",
            port=cfg["PORT"] or 5432,
            user=cfg["USER"] or "postgres",
            password=cfg["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.Error as exc:
        print(f"PostgreSQL unreachable: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
