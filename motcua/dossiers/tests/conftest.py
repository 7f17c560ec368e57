"""People and a procedure for dossier tests, built the way production builds them (actions).

The procedure is 1.002153 "Đăng ký hành nghề luật sư với tư cách cá nhân" (registering as an
individual lawyer): province level, decided by the Department of Justice (H08.10), 5 working
days on every channel, two documents to hand in. Dossiers are received at the provincial
centre H08.01; a receiver of another centre and officials of another department stand for
"someone else" in the authorisation tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.accounts.actions import do_create_official, do_grant_role, do_register_citizen
from motcua.accounts.models import Role, User
from motcua.catalog.models import Procedure
from motcua.dossiers.actions import Submission, do_act_on_dossier, do_attach_document
from motcua.dossiers.actions import do_submit_dossier as submit
from motcua.dossiers.models import Dossier
from motcua.units.models import Agency

PROCEDURE = "1.002153"
CENTRE = "H08.01"
JUSTICE = "H08.10"
PASSWORD = "mật-khẩu-thử-nghiệm-2026"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Vietnamese legal time, for moments written out in tests.
TZ = dt.timezone(dt.timedelta(hours=7))


def at(*args: int) -> dt.datetime:
    """A moment in Vietnamese legal time: at(2026, 3, 2, 9) is 09:00 on 2 March 2026."""
    return dt.datetime(*args, tzinfo=TZ)


@dataclass
class People:
    citizen: User
    other_citizen: User
    receiver: User
    other_receiver: User
    specialist: User
    other_specialist: User
    leader: User
    clerk: User

    def all(self) -> dict[str, User]:
        return dict(self.__dict__)


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Any) -> None:
    settings.MOTCUA_MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_AUDIT_SIGNING_KEY = tmp_path / "keys" / "audit_signing_key"
    settings.MOTCUA_AUDIT_PUBLIC_KEYS = tmp_path / "keys" / "public"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _official(username: str, name: str, grants: list[tuple[str, Role]]) -> User:
    official = do_create_official(
        username=username, password=PASSWORD, full_name=name, acting_user=None
    )
    for code, role in grants:
        do_grant_role(official, Agency.objects.get(code=code), role, acting_user=None)
    return official.user


@pytest.fixture
def people(catalogue: None, db: None) -> People:
    return make_people()


def make_people() -> People:
    citizen = do_register_citizen(
        username="nguyen.thi.hoa",
        password=PASSWORD,
        full_name="Nguyễn Thị Hoà",
        personal_id="008199001234",
        # A proven holder of her number, so the counter files her dossiers under her account
        # (accounts.applicants); the accountless case has its own tests in accounts.
        vneid_verified=True,
    )
    other = do_register_citizen(
        username="tran.van.binh",
        password=PASSWORD,
        full_name="Trần Văn Bình",
        personal_id="002085005678",
    )
    return People(
        citizen=citizen.user,
        other_citizen=other.user,
        receiver=_official("tiep.nhan", "Lê Thu Trang", [(CENTRE, Role.RECEIVER)]),
        other_receiver=_official(
            "tiep.nhan.xa", "Phạm Minh Đức", [("H08.02287.01", Role.RECEIVER)]
        ),
        specialist=_official("chuyen.vien", "Đỗ Quang Huy", [(JUSTICE, Role.SPECIALIST)]),
        other_specialist=_official("chuyen.vien.xd", "Vũ Thị Lan", [("H08.11", Role.SPECIALIST)]),
        leader=_official("lanh.dao", "Bùi Văn Toàn", [(JUSTICE, Role.LEADER)]),
        clerk=_official("van.thu", "Ngô Thị Mai", [(JUSTICE, Role.CLERK)]),
    )


def pdf(name: str = "don.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def required_documents(code: str = PROCEDURE) -> list[int]:
    version = Procedure.objects.get(national_code=code).current
    assert version is not None
    return [
        d.id
        for d in version.documents.all()
        if (not d.group or d.group.lower().startswith("giấy tờ phải nộp"))
        and d.mandatory
        and (d.originals or 0) + (d.copies or 0)
    ]


@pytest.fixture
def submitted(people: People) -> Callable[..., Dossier]:
    """A dossier submitted online by the citizen, with every required document uploaded."""

    def make(code: str = PROCEDURE, *, with_documents: bool = True) -> Dossier:
        dossier, _created = submit(
            Submission(procedure_code=code, receiving_agency_code=CENTRE),
            acting_user=people.citizen,
        )
        if with_documents:
            for requirement in required_documents(code):
                do_attach_document(
                    dossier, pdf(), acting_user=people.citizen, requirement_id=requirement
                )
        return Dossier.objects.get(id=dossier.id)

    return make


def act(dossier: Dossier, action: str, user: User, **params: Any) -> Dossier:
    do_act_on_dossier(dossier.id, action, acting_user=user, params=params)
    return Dossier.objects.get(id=dossier.id)


@pytest.fixture
def accepted(submitted: Callable[..., Dossier], people: People) -> Dossier:
    return act(submitted(), "accept", people.receiver)


@pytest.fixture
def running(submitted: Callable[..., Dossier], people: People) -> Dossier:
    """A dossier accepted on Monday 2 March 2026 at 09:00, due Monday 9 March at 09:00."""
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        return act(submitted(), "accept", people.receiver)


def api_client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def people_tx(catalogue_loaded: None, transactional_db: None) -> People:
    """People for transactional tests (threads need committed rows)."""
    return make_people()


@pytest.fixture
def accepted_tx(people_tx: People) -> Dossier:
    dossier, _created = submit(
        Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
        acting_user=people_tx.citizen,
    )
    for requirement in required_documents():
        do_attach_document(
            dossier, pdf(), acting_user=people_tx.citizen, requirement_id=requirement
        )
    return act(dossier, "accept", people_tx.receiver)
