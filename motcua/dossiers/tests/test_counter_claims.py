"""Walk-in applicants without an account, and how their counter dossiers reach an account.

Knowing an ID number must never be enough to see someone's data: a sign-up with the number of
someone received at the counter sees none of their dossiers until it proves, with the code sent
to the phone recorded at the counter or the code printed on the receipt, that it is that person.
The counter files a dossier under an account only for a proven holder or with the account's
confirmed phone; otherwise under the profile recorded at the counter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from motcua.accounts.actions import (
    do_confirm_contact,
    do_record_walk_in_applicant,
    do_sign_up_citizen,
)
from motcua.accounts.claims import do_claim_counter_dossiers, do_send_claim_code
from motcua.accounts.errors import NotAReceiverError, WrongCodeError
from motcua.accounts.models import Citizen, FilerCapacity, User
from motcua.common.errors import InvalidInputError
from motcua.dossiers.actions import Submission, do_attach_document, do_submit_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.slips.data import slip_data
from motcua.dossiers.tests.conftest import (
    CENTRE,
    PASSWORD,
    PROCEDURE,
    People,
    act,
    api_client,
    pdf,
    required_documents,
)
from motcua.notifications.sms import MemorySmsGateway

pytestmark = pytest.mark.django_db
WALK_IN_ID = "008095004321"  # a man born in 1995, birth registered in Tuyên Quang
COUNTER_PHONE = "0912000111"
OWN_PHONE = "0988777666"
WRONG = "This code is not right, or it is no longer valid. Check it, or ask for a new one."


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    MemorySmsGateway.reset()
    with translation.override("en"):
        yield
    MemorySmsGateway.reset()


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def record_walk_in(people: People, phone: str = COUNTER_PHONE) -> Citizen:
    return do_record_walk_in_applicant(
        personal_id=WALK_IN_ID,
        full_name="Hoàng Văn Nam",
        date_of_birth=dt.date(1995, 8, 19),
        phone=phone,
        address="Tổ 5, phường Minh Xuân, Tuyên Quang",
        acting_user=people.receiver,
    )


def at_counter(people: People, *, phone: str = "", accept: bool = False) -> Dossier:
    dossier, _created = do_submit_dossier(
        Submission(
            procedure_code=PROCEDURE,
            receiving_agency_code=CENTRE,
            channel="counter",
            applicant_personal_id=WALK_IN_ID,
            applicant_phone=phone,
        ),
        acting_user=people.receiver,
    )
    if accept:
        for requirement in required_documents():
            do_attach_document(
                dossier, pdf(), acting_user=people.receiver, requirement_id=requirement
            )
        dossier = act(Dossier.objects.get(pk=dossier.pk), "accept", people.receiver)
    return Dossier.objects.get(pk=dossier.pk)


def sign_up(sent: Callable[..., Any], *, phone: str = OWN_PHONE) -> User:
    """Someone opens an account with the walk-in's number and confirms their own phone."""
    with sent():
        citizen = do_sign_up_citizen(
            personal_id=WALK_IN_ID,
            full_name="Hoàng Văn Nam",
            date_of_birth=dt.date(1995, 8, 19),
            phone=phone,
            email="",
            password=PASSWORD,
        )
    user = citizen.user
    assert user is not None
    do_confirm_contact(user, last_code(phone))
    return User.objects.get(pk=user.pk)


def last_code(phone: str) -> str:
    texts = [m.text for m in MemorySmsGateway.outbox if m.to == phone]
    assert texts, f"no SMS to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)  # type: ignore[union-attr]


def audit_is_intact() -> bool:
    out = StringIO()
    call_command("verify_audit", workers=1, stdout=out, stderr=StringIO())
    return "intact" in out.getvalue()


def seen_by(user: User, dossier: Dossier) -> bool:
    return api_client(user).get(f"/api/v1/dossiers/{dossier.code}").status_code == 200


def test_a_walk_in_applicant_is_recorded_without_an_account_once(people: People) -> None:
    first = record_walk_in(people)
    assert (first.user, first.phone, first.full_name) == (None, COUNTER_PHONE, "Hoàng Văn Nam")
    # Seen again with a new phone: the same profile, updated from today's papers.
    again = record_walk_in(people, phone="0912 000 222")
    assert again.pk == first.pk and again.phone == "0912000222"
    assert Citizen.objects.filter(personal_id=WALK_IN_ID).count() == 1
    # Only a receiving officer records people; the number is checked like at sign-up.
    for someone in (people.citizen, people.specialist):
        with pytest.raises(NotAReceiverError):
            do_record_walk_in_applicant(
                personal_id=WALK_IN_ID,
                full_name="Hoàng Văn Nam",
                date_of_birth=None,
                phone="",
                address="",
                acting_user=someone,
            )
    with pytest.raises(InvalidInputError) as bad:
        do_record_walk_in_applicant(
            personal_id="008095004321",
            full_name="Hoàng Văn Nam",
            date_of_birth=dt.date(1990, 1, 1),
            phone="",
            address="",
            acting_user=people.receiver,
        )
    assert bad.value.field == "personal_id"


def test_the_counter_files_under_the_account_only_for_a_proven_holder_or_its_phone(
    people: People, sent: Callable[..., Any]
) -> None:
    # Nobody recorded yet and no account: the receiver records the person first.
    with pytest.raises(InvalidInputError) as unknown:
        at_counter(people)
    assert unknown.value.field == "applicant_personal_id"
    walk_in = record_walk_in(people)
    dossier = at_counter(people)
    assert (dossier.applicant_citizen_id, dossier.filed_as) == (walk_in.pk, FilerCapacity.COUNTER)
    assert len(dossier.claim_code) == 8

    # Someone signs up with that number: the counter still files under the walk-in profile.
    account = sign_up(sent)
    own = Citizen.objects.get(user=account)
    assert at_counter(people).applicant_citizen_id == walk_in.pk
    # Nor does a phone given at the counter that is not the account's confirmed phone.
    assert at_counter(people, phone=COUNTER_PHONE).applicant_citizen_id == walk_in.pk
    # The account's confirmed phone, given in person: the dossier is the account's (no claim
    # code then: the receipt goes to an account holder).
    mine = at_counter(people, phone="+84 988 777 666")
    assert (mine.applicant_citizen_id, mine.claim_code) == (own.pk, "")
    # An unconfirmed phone is not enough.
    Citizen.objects.filter(pk=own.pk).update(phone_confirmed_at=None)
    assert at_counter(people, phone=OWN_PHONE).applicant_citizen_id == walk_in.pk
    # A proven holder gets the counter's dossiers whatever phone is given.
    Citizen.objects.filter(pk=own.pk).update(holder_proven_at=timezone.now())
    assert at_counter(people).applicant_citizen_id == own.pk


def test_a_sign_up_with_the_number_sees_nothing_until_it_claims_with_the_receipt_code(
    people: People, sent: Callable[..., Any]
) -> None:
    record_walk_in(people)
    first = at_counter(people, accept=True)
    second = at_counter(people)
    receipt = slip_data(first, "receipt")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", receipt["claim_code"])
    account = sign_up(sent)
    assert not seen_by(account, first) and not seen_by(account, second)
    listed = api_client(account).get("/api/v1/dossiers").json()
    assert listed["count"] == 0

    # Wrong codes: one message, whatever was wrong, and nothing moves.
    for bad in ("", "AAAA-AAAA", second.claim_code[:-1], "x" * 40):
        with pytest.raises(WrongCodeError) as refused:
            do_claim_counter_dossiers(account, receipt_code=bad)
        assert refused.value.reason == WRONG
    assert not seen_by(account, first)

    # The code as printed, typed in lower case: both dossiers move, each on its audit chain.
    moved = do_claim_counter_dossiers(account, receipt_code=receipt["claim_code"].lower())
    assert moved == 2
    own = Citizen.objects.get(user=account)
    for dossier in (first, second):
        dossier.refresh_from_db()
        assert dossier.applicant_citizen_id == own.pk and dossier.claim_code == ""
        claim = dossier.events.get(action="claim")
        assert (claim.actor_id, claim.payload["proof"]) == (account.pk, "receipt_code")
        assert seen_by(account, dossier)
    assert audit_is_intact()
    walk_in = Citizen.objects.get(personal_id=WALK_IN_ID, user__isnull=True)
    assert walk_in.merged_into_id == own.pk and walk_in.merged_at is not None
    assert own.holder_proven_at is not None
    # Nothing left to claim; the next counter dossier goes straight to the account.
    with pytest.raises(WrongCodeError):
        do_claim_counter_dossiers(account, receipt_code=receipt["claim_code"])
    assert at_counter(people).applicant_citizen_id == own.pk
    # A later walk-in record of the same person makes a new counter profile, never the account's.
    assert record_walk_in(people).user is None


def test_a_claim_by_the_code_sent_to_the_counter_phone(
    people: People, sent: Callable[..., Any]
) -> None:
    record_walk_in(people)
    dossier = at_counter(people)
    account = sign_up(sent)
    with sent():
        do_send_claim_code(account)
    code = last_code(COUNTER_PHONE)  # to the phone recorded at the counter, not the account's
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(WrongCodeError) as refused:
        do_claim_counter_dossiers(account, phone_code=wrong)
    assert refused.value.reason == WRONG
    assert do_claim_counter_dossiers(account, phone_code=code) == 1
    dossier.refresh_from_db()
    assert dossier.applicant_citizen.user_id == account.pk  # type: ignore[union-attr]
    assert dossier.events.get(action="claim").payload["proof"] == "phone_code"
    assert audit_is_intact()
    # The code worked once.
    with pytest.raises(WrongCodeError):
        do_claim_counter_dossiers(account, phone_code=code)


def test_the_claim_page_shows_two_digits_one_message_and_limits_guesses(
    people: People, sent: Callable[..., Any]
) -> None:
    record_walk_in(people)
    dossier = at_counter(people)
    account = sign_up(sent)
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(account)
    page = client.get("/tai-khoan/nhan-ho-so/").content.decode()
    assert "<strong>11</strong>" in page and COUNTER_PHONE not in page and "000111" not in page
    with sent():
        assert client.post("/tai-khoan/nhan-ho-so/", {"action": "send"}).status_code == 302
    assert last_code(COUNTER_PHONE)
    statuses = []
    for n in range(11):
        response = client.post(
            "/tai-khoan/nhan-ho-so/", {"action": "receipt", "receipt_code": f"ABCD-EF{n:02d}"}
        )
        statuses.append(response.status_code)
        if response.status_code == 400:
            assert response.context["receipt_form"].errors["receipt_code"] == [WRONG]
    assert statuses == [400] * 10 + [429]
    # Even the right code waits for the limit's window to pass.
    right = client.post(
        "/tai-khoan/nhan-ho-so/", {"action": "receipt", "receipt_code": dossier.claim_code}
    )
    assert right.status_code == 429
    assert Dossier.objects.get(pk=dossier.pk).applicant_citizen.user_id is None  # type: ignore[union-attr]


def test_the_claim_page_moves_the_dossiers_with_the_receipt_code(
    people: People, sent: Callable[..., Any]
) -> None:
    record_walk_in(people)
    dossier = at_counter(people)
    account = sign_up(sent)
    client = Client()
    client.force_login(account)
    response = client.post(
        "/tai-khoan/nhan-ho-so/", {"action": "receipt", "receipt_code": dossier.claim_code}
    )
    assert response.status_code == 302
    assert seen_by(account, dossier)
    # Vietnamese by default: the page now says there is nothing more to claim.
    assert "Không có hồ sơ nào" in client.get("/tai-khoan/nhan-ho-so/").content.decode()


def test_a_walk_in_applicant_is_told_by_sms_at_the_phone_given_at_the_counter(
    people: People, sent: Callable[..., Any]
) -> None:
    record_walk_in(people)
    with sent():
        dossier = at_counter(people, accept=True)
    texts = [m.text for m in MemorySmsGateway.outbox if m.to == COUNTER_PHONE]
    assert texts and any(dossier.code in text for text in texts)
