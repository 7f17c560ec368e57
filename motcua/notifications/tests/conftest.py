"""Fixtures: the dossier suite's people and dossiers, an applicant who can be reached, and a
clean SMS test gateway for every test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytest_django.fixtures import Settings

from motcua.accounts.actions import do_register_citizen
from motcua.accounts.models import User
from motcua.dossiers.actions import Submission, do_attach_document, do_submit_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures, used by name)
    CENTRE,
    PASSWORD,
    PROCEDURE,
    People,
    accepted,
    media_root,
    pdf,
    people,
    people_tx,
    required_documents,
    submitted,
)
from motcua.notifications.sms import MemorySmsGateway

EMAIL = "le.van.an@example.vn"
PHONE = "0912345678"


@pytest.fixture(autouse=True)
def sms() -> Iterator[type[MemorySmsGateway]]:
    MemorySmsGateway.reset()
    yield MemorySmsGateway
    MemorySmsGateway.reset()


@pytest.fixture(autouse=True)
def public_url(settings: Settings) -> None:
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.tuyenquang.gov.vn"


def register_applicant(username: str = "le.van.an", **contact: str) -> User:
    citizen = do_register_citizen(
        username=username,
        password=PASSWORD,
        full_name="Lê Văn An",
        personal_id="008090001357",
        vneid_verified=True,  # the counter files his dossiers under his account
        **({"email": EMAIL, "phone": PHONE} | contact),
    )
    return citizen.user


@pytest.fixture
def applicant(people: People) -> User:  # noqa: F811  (the imported fixture)
    """A citizen with an email address and a mobile phone."""
    return register_applicant()


def submit_as(user: User, *, personal_id: str = "", with_documents: bool = True) -> Dossier:
    """Submit online with every required document, as the `submitted` fixture does."""
    dossier, _created = do_submit_dossier(
        Submission(
            procedure_code=PROCEDURE,
            receiving_agency_code=CENTRE,
            applicant_personal_id=personal_id,
        ),
        acting_user=user,
    )
    if with_documents:
        for requirement in required_documents():
            do_attach_document(dossier, pdf(), acting_user=user, requirement_id=requirement)
    return Dossier.objects.get(id=dossier.id)


SubmitAs = Callable[..., Dossier]


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., object],
) -> Callable[[], object]:
    """`with committed(): ...` runs the on-commit hooks of the block, as a real commit would
    (tests run inside a transaction that never commits)."""

    def capture() -> object:
        return django_capture_on_commit_callbacks(execute=True)

    return capture
