"""An official's roles are kept by each process but never used stale: a revoked role stops
working at the next request, whether the official signs in with a token or a session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from motcua.accounts.actions import do_grant_role, do_revoke_role
from motcua.accounts.models import Role
from motcua.accounts.tokens import do_issue_token
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CENTRE, PASSWORD, People, api_client
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db


def test_a_revoked_role_stops_working_at_the_next_request(
    submitted: Callable[..., Dossier], people: People
) -> None:
    code = submitted().code
    key, _expires = do_issue_token(login=people.receiver.username, password=PASSWORD)
    by_token = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    by_session = api_client(people.receiver)
    centre = Agency.objects.get(code=CENTRE)
    official = people.receiver.official
    for client in (by_token, by_session):
        assert client.get(f"/api/v1/dossiers/{code}").status_code == 200
    do_revoke_role(official, centre, Role.RECEIVER, acting_user=None)
    for client in (by_token, by_session):
        assert client.get(f"/api/v1/dossiers/{code}").status_code == 404
        refused = client.post(
            f"/api/v1/dossiers/{code}/actions", {"action": "accept"}, "application/json"
        )
        assert refused.status_code == 404
    do_grant_role(official, centre, Role.RECEIVER, acting_user=None)
    assert by_token.get(f"/api/v1/dossiers/{code}").json()["next_actions"] == [
        "accept",
        "refuse",
        "request_supplement",
    ]
