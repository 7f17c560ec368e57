"""Signing up on the web pages: a citizen or a business opens an account, confirms the phone or
email with the code sent to it, and only then signs in. Codes expire, allow five guesses, work
once, and resending them is rate-limited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from motcua.accounts.actions import do_confirm_contact, do_sign_up_citizen
from motcua.accounts.errors import WrongCodeError
from motcua.accounts.identity import VerifiedIdentity, do_sign_in_verified
from motcua.accounts.models import Business, Citizen, User
from motcua.notifications.sms import MemorySmsGateway

pytestmark = pytest.mark.django_db
PASSWORD = "mật-khẩu-đủ-dài-2026"
PERSONAL_ID = "008199001234"  # born 1999, female, birth registered in Tuyên Quang
PHONE = "0912345678"
CITIZEN = {
    "personal_id": PERSONAL_ID,
    "full_name": "Nguyễn Thị Hoà",
    "date_of_birth": "1999-05-02",
    "phone": "0912 345 678",
    "email": "",
    "password": PASSWORD,
    "password_again": PASSWORD,
}
BUSINESS = {
    "tax_code": "0314409058",
    "name": "Công ty TNHH Sông Lô",
    "representative_personal_id": PERSONAL_ID,
    "phone": "",
    "email": "ke.toan@songlo.vn",
    "password": PASSWORD,
    "password_again": PASSWORD,
}
VI_TWELVE_DIGITS = "Số định danh cá nhân gồm đúng 12 chữ số (0–9), không có ký tự nào khác."
WRONG_CODE = "This code is not right, or it is no longer valid. Check it, or ask for a new one."


@pytest.fixture(autouse=True)
def empty_outbox() -> Iterator[None]:
    MemorySmsGateway.reset()
    yield
    MemorySmsGateway.reset()


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """`with sent(): ...` delivers the codes of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def english() -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def last_sms_code(to: str = PHONE) -> str:
    texts = [m.text for m in MemorySmsGateway.outbox if m.to == to]
    assert texts, f"no SMS to {to}"
    found = re.search(r"\b(\d{6})\b", texts[-1])
    assert found is not None
    return found.group(1)


def field_errors(response: Any, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def sign_up_citizen(sent: Callable[..., Any], **changes: Any) -> Citizen:
    with sent():
        return do_sign_up_citizen(
            personal_id=PERSONAL_ID,
            full_name="Nguyễn Thị Hoà",
            date_of_birth=dt.date(1999, 5, 2),
            phone=changes.pop("phone", PHONE),
            email=changes.pop("email", ""),
            password=PASSWORD,
            **changes,
        )


def test_a_citizen_signs_up_confirms_by_sms_and_only_then_signs_in(
    sent: Callable[..., Any],
) -> None:
    client = english()
    assert client.get("/tai-khoan/dang-ky/").status_code == 200
    with sent():
        response = client.post("/tai-khoan/dang-ky/", CITIZEN)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/xac-nhan/"
    citizen = Citizen.objects.select_related("user").get(personal_id=PERSONAL_ID)
    assert (citizen.full_name, citizen.phone, citizen.user.awaiting_confirmation) == (
        "Nguyễn Thị Hoà",
        PHONE,
        True,
    )
    # The code went by SMS to the phone given; the database keeps only its hash.
    code = last_sms_code()
    assert not citizen.user.one_time_codes.filter(code_hash__contains=code).exists()

    # Not confirmed: the right password does not sign in, and the page says why.
    stranger = english()
    refused = stranger.post("/dang-nhap/", {"username": PERSONAL_ID, "password": PASSWORD})
    assert refused.status_code == 200
    assert "not confirmed yet" in refused.content.decode()
    assert 'href="/tai-khoan/xac-nhan/"' in refused.content.decode()
    assert "_auth_user_id" not in stranger.session
    # A wrong password says nothing about confirmation.
    wrong = english().post("/dang-nhap/", {"username": PERSONAL_ID, "password": "sai-mat-khau"})
    assert "not confirmed" not in wrong.content.decode()

    bad = client.post("/tai-khoan/xac-nhan/", {"code": "000000" if code != "000000" else "1"})
    assert bad.status_code == 400 and field_errors(bad, "code") == [WRONG_CODE]
    confirmed = client.post("/tai-khoan/xac-nhan/", {"code": code})
    assert confirmed.status_code == 302
    assert int(client.session["_auth_user_id"]) == citizen.user_id
    citizen.refresh_from_db()
    assert citizen.phone_confirmed_at is not None
    assert User.objects.get(pk=citizen.user_id).awaiting_confirmation is False
    # Now the ID number and password sign in.
    later = english()
    assert later.post("/dang-nhap/", {"username": PERSONAL_ID, "password": PASSWORD}).status_code
    assert "_auth_user_id" in later.session


def test_the_sign_in_page_offers_confirmation_and_a_new_code(sent: Callable[..., Any]) -> None:
    sign_up_citizen(sent)
    first = last_sms_code()
    client = english()
    client.post("/dang-nhap/", {"username": PERSONAL_ID, "password": PASSWORD})
    assert client.get("/tai-khoan/xac-nhan/").status_code == 200
    with sent():
        resent = client.post("/tai-khoan/xac-nhan/", {"action": "resend"})
    assert resent.status_code == 302
    second = last_sms_code()
    assert len(MemorySmsGateway.outbox) == 2
    if first != second:  # the older code stopped working when the new one was sent
        old = client.post("/tai-khoan/xac-nhan/", {"code": first})
        assert field_errors(old, "code") == [WRONG_CODE]
    assert client.post("/tai-khoan/xac-nhan/", {"code": second}).status_code == 302
    # Without a signed-up or signed-in account in the session, the page sends to sign-in.
    assert english().get("/tai-khoan/xac-nhan/")["Location"] == "/dang-nhap/"


def test_resending_is_rate_limited(sent: Callable[..., Any]) -> None:
    client = english()
    with sent():
        client.post("/tai-khoan/dang-ky/", CITIZEN)
    with sent():
        statuses = [client.post("/tai-khoan/xac-nhan/", {"action": "resend"}).status_code]
        statuses += [
            client.post("/tai-khoan/xac-nhan/", {"action": "resend"}).status_code for _ in range(3)
        ]
    assert statuses == [302, 302, 302, 429]
    assert len(MemorySmsGateway.outbox) == 4  # the sign-up's and three more


def test_a_business_signs_up_with_an_email_and_signs_in_with_its_tax_code(
    sent: Callable[..., Any],
) -> None:
    client = english()
    assert client.get("/tai-khoan/dang-ky/doanh-nghiep/").status_code == 200
    with sent():
        response = client.post("/tai-khoan/dang-ky/doanh-nghiep/", BUSINESS)
    assert response.status_code == 302
    business = Business.objects.select_related("user").get(tax_code="0314409058")
    assert business.representative_personal_id == PERSONAL_ID
    assert business.user.username == "0314409058"
    (message,) = mail.outbox
    assert message.to == ["ke.toan@songlo.vn"]
    code = re.search(r"\b(\d{6})\b", message.body).group(1)  # type: ignore[union-attr]
    assert client.post("/tai-khoan/xac-nhan/", {"code": code}).status_code == 302
    later = english()
    later.post("/dang-nhap/", {"username": "0314409058", "password": PASSWORD})
    assert int(later.session["_auth_user_id"]) == business.user_id


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"personal_id": "12345"}, "personal_id", "exactly 12 digits"),
        ({"personal_id": "008100001234"}, "personal_id", "birth year of 1900"),
        ({"personal_id": "999199001234"}, "personal_id", "not the code of a province"),
        ({"full_name": "Hoà 0912"}, "full_name", "does not contain digits"),
        ({"full_name": ""}, "full_name", "This field is required."),
        ({"date_of_birth": "02/13/1999"}, "date_of_birth", "Enter a valid date."),
        ({"phone": "12345"}, "phone", "10 or 11 digits"),
        ({"phone": "", "email": ""}, "phone", "Give a phone number or an email address"),
        ({"email": "hoa@"}, "email", "not a valid email address"),
        ({"password": "123", "password_again": "123"}, "password", "too short"),
        ({"password_again": "khác-hẳn-2026"}, "password_again", "not the same"),
    ],
)
def test_a_bad_citizen_sign_up_says_what_is_wrong_next_to_the_field(
    changes: dict[str, str], field: str, message: str
) -> None:
    response = english().post("/tai-khoan/dang-ky/", CITIZEN | changes)
    assert response.status_code == 400
    errors = field_errors(response, field)
    assert any(message in error for error in errors), errors
    assert not User.objects.exists() and not MemorySmsGateway.outbox
    # What was typed is still in the form (the passwords excepted, never sent back).
    page = response.content.decode()
    for name in ("full_name", "personal_id"):
        value = (CITIZEN | changes)[name]
        if value:
            assert f'value="{value}"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tax_code": "0314409059"}, "tax_code", "check digit"),
        ({"name": ""}, "name", "This field is required."),
        ({"representative_personal_id": "1"}, "representative_personal_id", "12 digits"),
        ({"email": "", "phone": ""}, "phone", "Give a phone number or an email address"),
    ],
)
def test_a_bad_business_sign_up_says_what_is_wrong_next_to_the_field(
    changes: dict[str, str], field: str, message: str
) -> None:
    response = english().post("/tai-khoan/dang-ky/doanh-nghiep/", BUSINESS | changes)
    assert response.status_code == 400
    assert any(message in error for error in field_errors(response, field))
    assert not User.objects.exists()


def test_an_id_number_or_tax_code_already_registered_is_refused(sent: Callable[..., Any]) -> None:
    sign_up_citizen(sent)
    again = english().post("/tai-khoan/dang-ky/", CITIZEN | {"phone": "0987654321"})
    assert field_errors(again, "personal_id") == ["This personal ID number is already registered."]
    with sent():
        english().post("/tai-khoan/dang-ky/doanh-nghiep/", BUSINESS)
    twice = english().post("/tai-khoan/dang-ky/doanh-nghiep/", BUSINESS)
    assert field_errors(twice, "tax_code") == ["This tax code is already registered."]


def test_errors_are_in_vietnamese_for_a_vietnamese_visitor() -> None:
    client = Client()  # no language cookie: the site speaks Vietnamese
    response = client.post("/tai-khoan/dang-ky/", CITIZEN | {"personal_id": "12345"})
    assert response.status_code == 400
    assert "Mở tài khoản công dân" in response.content.decode()
    assert field_errors(response, "personal_id") == [VI_TWELVE_DIGITS]
    response = client.post("/tai-khoan/dang-ky/", CITIZEN | {"phone": "", "full_name": ""})
    assert field_errors(response, "full_name") == ["Trường này là bắt buộc."]
    response = client.post("/tai-khoan/dang-ky/", CITIZEN | {"phone": "", "email": ""})
    assert field_errors(response, "phone") == [
        "Hãy nhập số điện thoại hoặc địa chỉ email: chúng tôi gửi mã xác nhận tới đó."
    ]


def test_sign_ups_from_one_address_are_rate_limited() -> None:
    client = english()
    statuses = [
        client.post("/tai-khoan/dang-ky/", CITIZEN | {"personal_id": "1"}).status_code
        for _ in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_a_code_expires_after_ten_minutes(sent: Callable[..., Any]) -> None:
    citizen = sign_up_citizen(sent)
    code = last_sms_code()
    later = timezone.now() + dt.timedelta(minutes=10, seconds=1)
    with time_machine.travel(later), pytest.raises(WrongCodeError):
        do_confirm_contact(citizen.user, code)  # type: ignore[arg-type]


def test_a_code_allows_five_guesses_then_stops_working(sent: Callable[..., Any]) -> None:
    citizen = sign_up_citizen(sent)
    code = last_sms_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(WrongCodeError):
            do_confirm_contact(citizen.user, wrong)  # type: ignore[arg-type]
    with pytest.raises(WrongCodeError):
        do_confirm_contact(citizen.user, code)  # type: ignore[arg-type]
    assert User.objects.get(pk=citizen.user_id).awaiting_confirmation


def test_a_code_works_once(sent: Callable[..., Any]) -> None:
    citizen = sign_up_citizen(sent)
    code = last_sms_code()
    do_confirm_contact(citizen.user, code)  # type: ignore[arg-type]
    with pytest.raises(WrongCodeError):
        do_confirm_contact(citizen.user, code)  # type: ignore[arg-type]


def test_a_vneid_sign_in_makes_a_proven_holder() -> None:
    user = do_sign_in_verified(
        VerifiedIdentity(
            personal_id=PERSONAL_ID, full_name="Nguyễn Thị Hoà", date_of_birth=dt.date(1999, 5, 2)
        )
    )
    citizen = Citizen.objects.get(user=user)
    assert citizen.vneid_verified and citizen.is_proven_holder
    assert not user.has_usable_password()
    # The same person again: the same account.
    again = do_sign_in_verified(
        VerifiedIdentity(
            personal_id=PERSONAL_ID, full_name="Nguyễn Thị Hoà", date_of_birth=dt.date(1999, 5, 2)
        )
    )
    assert again.pk == user.pk
