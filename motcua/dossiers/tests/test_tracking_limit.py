"""The tracking limit as a client meets it: a 429 that says when to come back, counted in the
database so every server process and every restart sees the same count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.dossiers.models import Dossier
from motcua.web.models import RateCounter

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))


def test_a_refused_look_up_says_when_to_try_again(
    settings: Settings, submitted: Callable[..., Dossier]
) -> None:
    settings.MOTCUA_TRACK_LIMIT = 2
    settings.MOTCUA_TRACK_WINDOW_SECONDS = 600
    dossier = submitted(with_documents=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    def look_up() -> object:
        return client.get(
            f"/api/v1/track/{dossier.code}", {"id_last4": "1234"}, REMOTE_ADDR="198.51.100.7"
        )

    # 09:04 in a 600-second window that began at 09:00: six minutes to wait.
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 4, tzinfo=TZ), tick=False):
        assert [look_up().status_code for _ in range(2)] == [200, 200]
        refused = look_up()

    assert refused.status_code == 429
    assert refused["Retry-After"] == "360"
    body = refused.json()
    assert (body["code"], body["retry_after"]) == ("TOO_MANY_REQUESTS", 360)
    # The count is a database row, not a process's memory: another worker, or the same one
    # after a restart, reads the same three look-ups.
    assert RateCounter.objects.get(key="track:198.51.100.7").count == 3
