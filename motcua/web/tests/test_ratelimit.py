"""Rate limits counted in the database: the limit holds, a new window resets it, keys are
independent, concurrent hits are never lost, and expired windows are purged."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from motcua.web import ratelimit
from motcua.web.models import RateCounter

# 2026-03-02 09:00 in Hanoi is 02:00 UTC: the start of a 600-second window.
START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return START + dt.timedelta(seconds=seconds)


def hits(key: str, n: int, *, now: dt.datetime, limit: int = 3) -> list[bool]:
    return [ratelimit.hit(key, limit=limit, window_seconds=600, now=now).allowed for _ in range(n)]


@pytest.mark.django_db
def test_the_limit_holds_within_a_window_and_a_new_window_resets_it() -> None:
    assert hits("track:198.51.100.7", 5, now=at(10)) == [True, True, True, False, False]
    # Still the same window 9 min 59 s after its start; refused, and told how long to wait.
    late = ratelimit.hit("track:198.51.100.7", limit=3, window_seconds=600, now=at(599))
    assert (late.allowed, late.count, late.retry_after) == (False, 6, 1)
    # The next window starts afresh.
    assert hits("track:198.51.100.7", 4, now=at(600)) == [True, True, True, False]


@pytest.mark.django_db
def test_distinct_keys_are_counted_apart() -> None:
    assert hits("track:198.51.100.7", 4, now=at(0)) == [True, True, True, False]
    assert hits("track:203.0.113.9", 3, now=at(1)) == [True, True, True]
    assert hits("login-user:demo.citizen", 1, now=at(2)) == [True]
    assert ratelimit.hit("track:198.51.100.7", limit=3, window_seconds=600, now=at(3)).count == 5


@pytest.mark.django_db
def test_retry_after_counts_down_to_the_end_of_the_window() -> None:
    first = ratelimit.hit("k", limit=0, window_seconds=600, now=at(0.5))
    assert (first.allowed, first.retry_after) == (False, 600)
    assert ratelimit.hit("k", limit=0, window_seconds=600, now=at(420)).retry_after == 180


@pytest.mark.django_db
def test_expired_windows_are_purged_and_current_ones_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hits("old", 2, now=at(0))
    hits("current", 1, now=at(600))
    assert ratelimit.purge_expired(now=at(600)) == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["current"]

    # Opening a new window purges too, when the draw says so (here: always).
    monkeypatch.setattr(ratelimit, "PURGE_ONE_IN", 1)
    hits("new", 1, now=at(1200))
    assert sorted(RateCounter.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_from_several_connections_are_all_counted() -> None:
    # Each thread has its own database connection, as each gunicorn worker does.
    threads, per_thread = 6, 10
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                ratelimit.hit("track:192.0.2.1", limit=1000, window_seconds=600, now=at(5))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    assert RateCounter.objects.get(key="track:192.0.2.1").count == threads * per_thread


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="window_seconds"):
        ratelimit.hit("k", limit=1, window_seconds=0)
    with pytest.raises(ValueError, match="too long"):
        ratelimit.hit("k" * 201, limit=1, window_seconds=60)
