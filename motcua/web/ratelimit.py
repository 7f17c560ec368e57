"""Fixed-window rate limits counted in the database, shared by every process.

`hit(key, limit=…, window_seconds=…)` counts one request for `key` (e.g. "track:198.51.100.7",
later "login-user:…" or "login-addr:…") in the current window and says whether it is allowed.
Windows are aligned to the epoch (a 600-second window runs 09:00–09:10, 09:10–09:20, …), so
each window is one row, incremented by a single upsert statement:

    INSERT … ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 RETURNING count

Both PostgreSQL and SQLite (3.35 or later, for RETURNING) run it atomically, so two workers
counting the same key at once never lose a hit, and nothing is kept in process memory, so the
limit survives restarts. The price of fixed windows: a client may get up to twice the limit
across a window boundary, which is fine against enumeration and password guessing.

A hit inside a transaction that rolls back is not counted: call `hit` before the work it
guards, outside any `atomic` block that may fail.

`peek(key, …)` reads a key's count without counting: the login throttle (accounts.backends)
looks before it checks a password and counts only the failures, so a successful login never
uses up the budget.

Expired rows are purged now and then, when a new window opens (one time in PURGE_ONE_IN), with
one indexed DELETE; `purge_expired` can also be run on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from motcua.web.models import RateCounter

logger = logging.getLogger(__name__)

PURGE_ONE_IN = 100


@dataclass(frozen=True)
class Verdict:
    """Whether a request may proceed, and if not, in how many seconds it may (ceil, ≥ 1)."""

    allowed: bool
    count: int
    retry_after: int


def _upsert_sql() -> str:
    q = connection.ops.quote_name
    table = q(RateCounter._meta.db_table)
    key, start, expires, count = (
        q(RateCounter._meta.get_field(name).column)
        for name in ("key", "window_start", "expires_at", "count")
    )
    return (
        f"INSERT INTO {table} ({key}, {start}, {expires}, {count}) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({key}, {start}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {count}"
    )


def window_of(now: dt.datetime, window_seconds: int) -> tuple[dt.datetime, dt.datetime]:
    """The epoch-aligned window [start, end) that contains `now`."""
    epoch = int(now.timestamp())
    start = epoch - epoch % window_seconds
    begin = dt.datetime.fromtimestamp(start, tz=dt.UTC)
    return begin, begin + dt.timedelta(seconds=window_seconds)


def hit(key: str, *, limit: int, window_seconds: int, now: dt.datetime | None = None) -> Verdict:
    """Count one request for `key` in the current window; allowed while the count ≤ `limit`.

    One statement (an upsert) per call, in autocommit. Refused requests are counted too, so an
    address that keeps hammering stays refused until the window ends. Raises ValueError for a
    window shorter than a second or a key longer than the column.
    """
    if window_seconds < 1:
        raise ValueError("window_seconds must be at least 1")
    if len(key) > RateCounter._meta.get_field("key").max_length:  # type: ignore[operator]
        raise ValueError("rate-limit key too long")
    now = now or timezone.now()
    start, end = window_of(now, window_seconds)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [key, adapt(start), adapt(end)])
        (count,) = cursor.fetchone()
    if count == 1 and secrets.randbelow(PURGE_ONE_IN) == 0:
        purge_expired(now=now)
    retry_after = max(1, math.ceil((end - now).total_seconds()))
    return Verdict(allowed=count <= limit, count=count, retry_after=retry_after)


def peek(key: str, *, limit: int, window_seconds: int, now: dt.datetime | None = None) -> Verdict:
    """The count of `key` in the current window, without counting: allowed while the count is
    below `limit` (one more hit would still be within it). One indexed SELECT."""
    if window_seconds < 1:
        raise ValueError("window_seconds must be at least 1")
    now = now or timezone.now()
    start, end = window_of(now, window_seconds)
    count = (
        RateCounter.objects.filter(key=key, window_start=start)
        .values_list("count", flat=True)
        .first()
    ) or 0
    retry_after = max(1, math.ceil((end - now).total_seconds()))
    return Verdict(allowed=count < limit, count=count, retry_after=retry_after)


def purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the counters of windows that have ended; return how many were deleted."""
    deleted, _ = RateCounter.objects.filter(expires_at__lte=now or timezone.now()).delete()
    if deleted:
        logger.info("Purged %s expired rate counters", deleted)
    return deleted
