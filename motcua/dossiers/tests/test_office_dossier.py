"""The officials' dossier page (/can-bo/ho-so/<code>/), through the Django test client."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import People

pytestmark = pytest.mark.django_db


def login(user: User) -> Client:
    client = Client()  # no language cookie: Vietnamese
    client.force_login(user)
    return client


def page_url(dossier: Dossier) -> str:
    return reverse("dossiers:office_dossier", args=[dossier.code])


# Who may open the page


def test_the_inbox_links_each_dossier_to_its_page(accepted: Dossier, people: People) -> None:
    inbox = login(people.specialist).get(reverse("dossiers:inbox")).content.decode()
    assert f'href="{page_url(accepted)}"' in inbox


def test_officials_who_see_the_dossier_open_its_page(accepted: Dossier, people: People) -> None:
    for user in (people.receiver, people.specialist, people.leader, people.clerk):
        response = login(user).get(page_url(accepted))
        assert response.status_code == 200
        assert accepted.code in response.content.decode()


def test_officials_of_another_agency_get_404_as_for_a_missing_code(
    accepted: Dossier, people: People
) -> None:
    for user in (people.other_receiver, people.other_specialist):
        assert login(user).get(page_url(accepted)).status_code == 404
    missing = reverse("dossiers:office_dossier", args=["H08.01-000000-9999"])
    assert login(people.specialist).get(missing).status_code == 404


def test_citizens_are_refused_even_their_own_dossier(accepted: Dossier, people: People) -> None:
    response = login(people.citizen).get(page_url(accepted))
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(accepted: Dossier, client: Client) -> None:
    response = client.get(page_url(accepted))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
