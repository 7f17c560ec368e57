"""Registering people, creating officials, granting roles: what is written, what is refused."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.db import IntegrityError, transaction
from pytest_django.fixtures import Settings

from motcua.accounts import actions
from motcua.accounts.actions import (
    do_create_official,
    do_grant_role,
    do_register_business,
    do_register_citizen,
    do_revoke_role,
    do_set_password,
)
from motcua.accounts.errors import (
    AlreadyRegisteredError,
    RoleAlreadyGrantedError,
    RoleNotHeldError,
)
from motcua.accounts.models import Business, Citizen, Official, Role, RoleMembership, User, UserKind
from motcua.accounts.queries import (
    list_agencies_of_official,
    list_memberships_of_official,
    list_roles_of_official,
    official_has_role,
)
from motcua.accounts.tests.conftest import ARGON2, MD5
from motcua.common.errors import InvalidInputError
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db

PASSWORD = "mật-khẩu-đủ-dài-2026"
ID = "035199000123"


def register(**overrides: Any) -> Citizen:
    fields: dict[str, Any] = {
        "username": "hoa.nguyen",
        "password": PASSWORD,
        "full_name": "Nguyễn Thị Hoà",
        "personal_id": ID,
        "date_of_birth": dt.date(1999, 4, 30),
    }
    return do_register_citizen(**(fields | overrides))


def official(username: str = "tiep.nhan") -> Official:
    return do_create_official(
        username=username,
        password=PASSWORD,
        full_name="Lê Thị Thu Hà",
        position_title="Cán bộ tiếp nhận",
        acting_user=None,
    )


def refused(call: Callable[[], object], field: str) -> InvalidInputError:
    """Run `call`, expect InvalidInputError on `field`, and prove nothing was written."""
    before = (
        User.objects.count(),
        Citizen.objects.count(),
        Business.objects.count(),
        Official.objects.count(),
        RoleMembership.objects.count(),
    )
    with pytest.raises(InvalidInputError) as excinfo:
        call()
    assert excinfo.value.field == field
    after = (
        User.objects.count(),
        Citizen.objects.count(),
        Business.objects.count(),
        Official.objects.count(),
        RoleMembership.objects.count(),
    )
    assert after == before
    return excinfo.value


# --- citizens -----------------------------------------------------------------------------


def test_registering_a_citizen_writes_the_account_and_profile() -> None:
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị Hoà ")
    citizen = register(
        full_name=decomposed,
        phone="+84 912 345 678",
        email="Hoa@Example.VN",
        address="Thôn 3, xã Lâm Bình",
        vneid_verified=True,
    )
    citizen.refresh_from_db()
    assert citizen.full_name == unicodedata.normalize("NFC", "Nguyễn Thị Hoà")
    assert citizen.personal_id == ID
    assert citizen.phone == "0912345678"
    assert citizen.vneid_verified
    user = citizen.user
    assert user.kind == UserKind.CITIZEN and user.is_citizen
    assert not user.is_staff and not user.is_superuser
    assert user.email == "Hoa@example.vn"
    assert user.check_password(PASSWORD)


def test_argon2_hashes_a_real_registration(settings: Settings) -> None:
    # The shipped order (settings.py), stated here so the test does not depend on test settings.
    settings.PASSWORD_HASHERS = [ARGON2, MD5]
    user = register().user
    assert user.password.startswith("argon2$argon2id$")
    assert check_password(PASSWORD, user.password)


def test_an_invalid_id_is_refused_without_echoing_it_and_nothing_is_written() -> None:
    mistyped = "003199000123"  # 003 is no province code
    error = refused(lambda: register(personal_id=mistyped), "personal_id")
    # Every way the error can leave the process: message, API body, repr, args.
    for text in (error.msg, str(error), repr(error), str(error.to_dict()), str(error.args)):
        assert mistyped not in text
    assert error.to_dict()["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"personal_id": "03519900012"}, "personal_id"),
        ({"personal_id": "035199000123", "date_of_birth": dt.date(2001, 1, 1)}, "personal_id"),
        ({"personal_id": "035499000123", "date_of_birth": None}, "personal_id"),  # born 2199
        ({"date_of_birth": dt.date(2199, 1, 1)}, "date_of_birth"),
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "035199000123"}, "full_name"),  # the ID typed into the name box
        ({"username": ""}, "username"),
        ({"username": "hoa nguyen"}, "username"),
        ({"username": "hoa035199000123"}, "username"),
        ({"password": "12345678"}, "password"),
        ({"password": "short"}, "password"),
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"address": "x" * 256}, "address"),
    ],
)
def test_bad_citizen_input_is_refused_before_writing(overrides: dict[str, Any], field: str) -> None:
    error = refused(lambda: register(**overrides), field)
    assert error.reason
    assert ID not in error.msg


def test_a_personal_id_is_registered_once() -> None:
    register()
    error = refused(lambda: register(username="someone.else"), "personal_id")
    assert isinstance(error, AlreadyRegisteredError)
    assert error.to_dict()["code"] == "ALREADY_REGISTERED"
    assert ID not in error.msg


def test_usernames_are_unique_ignoring_case() -> None:
    register()
    error = refused(
        lambda: register(username="Hoa.Nguyen", personal_id="001090000001", date_of_birth=None),
        "username",
    )
    assert isinstance(error, AlreadyRegisteredError)


def test_a_lost_race_on_the_unique_id_becomes_the_same_clean_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Another registration commits the same number between our check and our insert.
    original = actions._write_or_explain

    def racing(write: Callable[[], Any], explain: Callable[[], None]) -> Any:
        rival = User.objects.create_user("rival", password=PASSWORD)
        Citizen.objects.create(user=rival, full_name="Rival", personal_id=ID)
        return original(write, explain)

    monkeypatch.setattr(actions, "_write_or_explain", racing)
    with pytest.raises(AlreadyRegisteredError) as excinfo:
        register()
    # Not chained to the IntegrityError, whose PostgreSQL text would carry the number.
    assert excinfo.value.__cause__ is None and excinfo.value.__context__ is None


def test_the_database_refuses_an_account_without_a_kind() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", kind="")


# --- businesses ---------------------------------------------------------------------------


def test_registering_a_business_stores_the_printed_tax_code() -> None:
    business = do_register_business(
        username="cong.ty",
        password=PASSWORD,
        name="Công ty TNHH  Sông Lô",
        tax_code="0314409058002",
    )
    business.refresh_from_db()
    assert business.tax_code == "0314409058-002"
    assert business.name == "Công ty TNHH Sông Lô"
    assert business.user.kind == UserKind.BUSINESS
    assert str(business) == "Công ty TNHH Sông Lô (0314409058-002)"


def test_a_tax_code_is_registered_once_in_either_spelling() -> None:
    do_register_business(
        username="cong.ty", password=PASSWORD, name="Sông Lô", tax_code="0314409058-002"
    )
    error = refused(
        lambda: do_register_business(
            username="cong.ty.2", password=PASSWORD, name="Sông Lô 2", tax_code="0314409058002"
        ),
        "tax_code",
    )
    assert isinstance(error, AlreadyRegisteredError)


def test_a_wrong_check_digit_is_refused() -> None:
    error = refused(
        lambda: do_register_business(
            username="cong.ty", password=PASSWORD, name="Sông Lô", tax_code="0100233480"
        ),
        "tax_code",
    )
    assert "check digit" in error.reason


def test_a_business_needs_a_name() -> None:
    refused(
        lambda: do_register_business(
            username="cong.ty", password=PASSWORD, name=" ", tax_code="0100233488"
        ),
        "name",
    )


# --- officials, passwords and roles -------------------------------------------------------


def test_creating_an_official_gives_no_roles_and_no_admin_access() -> None:
    person = official()
    assert person.user.kind == UserKind.OFFICIAL
    assert not person.user.is_staff
    assert list_memberships_of_official(person).count() == 0
    admin = do_create_official(
        username="quan.tri",
        password=PASSWORD,
        full_name="Đặng Thị Phương",
        is_staff=True,
        is_superuser=True,
        acting_user=None,
    )
    assert admin.user.is_staff and admin.user.is_superuser


def test_set_password_validates_and_rehashes() -> None:
    user = official().user
    refused(lambda: do_set_password(user, "password", acting_user=None), "password")
    do_set_password(user, "một-mật-khẩu-mới-2026", acting_user=None)
    user.refresh_from_db()
    assert user.check_password("một-mật-khẩu-mới-2026")


def test_grant_and_revoke_roles(make_agency: Callable[..., Agency]) -> None:
    centre, justice = make_agency("H08.01"), make_agency("H08.10")
    person, grantor = official(), official("quan.tri").user
    membership = do_grant_role(person, centre, Role.RECEIVER, acting_user=grantor)
    assert membership.granted_by == grantor
    do_grant_role(person, centre, "clerk", acting_user=None)
    do_grant_role(person, justice, Role.SPECIALIST, acting_user=None)

    assert list_roles_of_official(person, centre) == {Role.RECEIVER, Role.CLERK}
    assert list_roles_of_official(person, justice) == {Role.SPECIALIST}
    assert official_has_role(person, justice, Role.SPECIALIST)
    assert not official_has_role(person, justice, Role.LEADER)
    assert list(list_agencies_of_official(person)) == [centre, justice]  # each agency once
    assert list(list_agencies_of_official(person, role=Role.SPECIALIST)) == [justice]

    do_revoke_role(person, centre, Role.CLERK, acting_user=grantor)
    assert list_roles_of_official(person, centre) == {Role.RECEIVER}
    with pytest.raises(RoleNotHeldError) as excinfo:
        do_revoke_role(person, centre, Role.CLERK, acting_user=grantor)
    assert excinfo.value.to_dict() == {
        "result": "error",
        "code": "ROLE_NOT_HELD",
        "msg": excinfo.value.msg,
        "role": "clerk",
        "agency": "H08.01",
    }


def test_a_role_is_held_once_per_agency(make_agency: Callable[..., Agency]) -> None:
    centre = make_agency("H08.01")
    person = official()
    do_grant_role(person, centre, Role.RECEIVER, acting_user=None)
    with pytest.raises(RoleAlreadyGrantedError):
        do_grant_role(person, centre, Role.RECEIVER, acting_user=None)
    assert RoleMembership.objects.count() == 1
    # The database says the same if the check is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleMembership.objects.create(official=person, agency=centre, role=Role.RECEIVER)


def test_unknown_roles_and_inactive_agencies_are_refused(
    make_agency: Callable[..., Agency],
) -> None:
    person = official()
    closed = make_agency("H08.99", is_active=False)
    refused(lambda: do_grant_role(person, closed, Role.RECEIVER, acting_user=None), "agency")
    refused(lambda: do_grant_role(person, make_agency("H08.01"), "mayor", acting_user=None), "role")
