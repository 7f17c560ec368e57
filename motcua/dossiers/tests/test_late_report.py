"""The late-dossier report on the apologies page, as a leader and a provincial manager read it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.accounts.actions import do_create_official, do_grant_role
from motcua.accounts.models import Role, User
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import PASSWORD, People, act, at
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db
APOLOGIES = reverse("dossiers:apologies")


def _report(user: User) -> tuple[str, str]:
    """The page and its summary line ("Apologised for: x % (a of b late dossiers).")."""
    client = Client()  # no language cookie: Vietnamese
    client.force_login(user)
    html = client.get(APOLOGIES).content.decode()
    match = re.search(r"Đã xin lỗi:.*?hồ sơ trễ hạn\)\.", html, re.DOTALL)
    assert match, "the report's summary line is missing"
    return html, " ".join(match.group(0).split())


def test_the_report_counts_late_dossiers_instead_of_printing_the_list(
    submitted: Callable[..., Dossier], people: People
) -> None:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        late = act(submitted(), "accept", people.receiver)  # due Monday 9 March 09:00
    manager = do_create_official(
        username="manager.h08", password=PASSWORD, full_name="Vũ Minh Tuấn", acting_user=None
    )
    do_grant_role(manager, Agency.objects.get(code="H08"), Role.MANAGER, acting_user=None)

    with time_machine.travel(at(2026, 3, 10, 9), tick=False):  # a day past the due date
        for user in (people.leader, manager.user):
            html, line = _report(user)
            # One late dossier, none apologised for: "0 of 1", never the list itself.
            assert line == "Đã xin lỗi: <strong>0,0 %</strong> (0 trên 1 hồ sơ trễ hạn).", line
            # ...and the dossier is listed in the table below it.
            assert f'<th scope="row">{late.code}</th>' in html
