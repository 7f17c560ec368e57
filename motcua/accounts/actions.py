"""The only code that creates or changes accounts, profiles and role memberships.

Every action checks all of its input before it writes anything, so a bad value raises
InvalidInputError (field + translated reason) and leaves the database as it was. Uniqueness is
checked up front for a clear message and enforced again by the database's unique constraints,
which turn a lost race into the same error.

There is no outbox or audit table in this app yet: actions log a line with database ids (never
personal data). Role history is not kept; see docs/subsystems/access-control.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts import otp
from motcua.accounts.errors import (
    AlreadyRegisteredError,
    NotAReceiverError,
    RoleAlreadyGrantedError,
    RoleNotHeldError,
    WrongCodeError,
)
from motcua.accounts.identifiers import normalise_tax_code, parse_personal_id
from motcua.accounts.models import (
    Business,
    Citizen,
    Official,
    Role,
    RoleMembership,
    User,
    UserKind,
)
from motcua.accounts.viewer import Viewer
from motcua.common.errors import InvalidInputError
from motcua.common.text import normalise_name
from motcua.units.models import Agency

logger = logging.getLogger(__name__)

T = TypeVar("T")

_HAS_ID_SHAPE = re.compile(r"[0-9]{12}", re.ASCII)
_HAS_DIGIT = re.compile(r"[0-9]", re.ASCII)
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# A mobile number is 0 + 9 digits, a landline 0 + 10 (02x area code + 8 digits).
_PHONE = re.compile(r"0[0-9]{9,10}", re.ASCII)


# --- input checks (pure; each raises InvalidInputError naming the field) --------------------


def clean_username(username: str) -> str:
    """A handle of letters, digits and @.+-_ that nobody has yet (ignoring case).

    A username that contains a personal ID number is refused: usernames are shown in full in
    lists and logs, which is exactly where the number must not appear.
    """
    username = username.strip()
    if not username:
        raise InvalidInputError("username", gettext("A username is required."))
    if len(username) > 150:
        raise InvalidInputError("username", gettext("A username has at most 150 characters."))
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise InvalidInputError(
            "username", gettext("A username may contain only letters, digits and @ . + - _")
        ) from None
    if _HAS_ID_SHAPE.search(username):
        raise InvalidInputError(
            "username", gettext("A username must not contain a personal ID number.")
        )
    if User.objects.filter(username__iexact=username).exists():
        raise AlreadyRegisteredError("username", gettext("This username is already taken."))
    return username


def clean_full_name(name: str, *, field: str = "full_name") -> str:
    """NFC, single spaces; no digits, which usually means the ID went into the name box."""
    name = normalise_name(name)
    if not name:
        raise InvalidInputError(field, gettext("A name is required."))
    if len(name) > 150:
        raise InvalidInputError(field, gettext("A name has at most 150 characters."))
    if _HAS_DIGIT.search(name):
        raise InvalidInputError(field, gettext("A person's name does not contain digits."))
    return name


def clean_text(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    value = normalise_name(value)
    if required and not value:
        raise InvalidInputError(field, gettext("This field is required."))
    if len(value) > max_length:
        raise InvalidInputError(
            field, gettext("At most {count} characters.").format(count=max_length)
        )
    return value


def clean_email(email: str) -> str:
    email = email.strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInputError("email", gettext("This is not a valid email address.")) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_phone(phone: str) -> str:
    """Stored as dialled inside Vietnam (`0912345678`): spaces, dots and +84 are removed."""
    phone = _PHONE_SEPARATORS.sub("", phone)
    if not phone:
        return ""
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) in (11, 12):
        phone = "0" + phone[2:]
    if not _PHONE.fullmatch(phone):
        raise InvalidInputError(
            "phone", gettext("A Vietnamese phone number has 10 or 11 digits and starts with 0.")
        )
    return phone


def check_password(password: str, *, username: str, email: str = "") -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), as InvalidInputError."""
    try:
        validate_password(password, user=User(username=username, email=email))
    except ValidationError as exc:
        raise InvalidInputError("password", " ".join(exc.messages)) from None


def _check_date_of_birth(date_of_birth: dt.date | None) -> None:
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        raise InvalidInputError("date_of_birth", gettext("The date of birth is in the future."))


def _create_user(
    *,
    kind: UserKind,
    username: str,
    password: str,
    email: str,
    is_staff: bool = False,
    is_superuser: bool = False,
    awaiting_confirmation: bool = False,
    display_name: str = "",
) -> User:
    user = User(
        username=username,
        # What the header and the dossiers' events show for an account whose username is a
        # random handle (sign-up): the person's or business's name.
        first_name=display_name[:150],
        email=email,
        kind=kind,
        is_staff=is_staff,
        is_superuser=is_superuser,
        awaiting_confirmation=awaiting_confirmation,
    )
    # The first of settings.PASSWORD_HASHERS: Argon2id in every configuration we ship.
    user.set_password(password)
    user.save()
    return user


def _write_or_explain(write: Callable[[], T], explain: Callable[[], None]) -> T:
    """Run `write` in a savepoint; if a unique constraint fires, let `explain` raise the
    domain error (it re-runs the up-front checks, which now see the other writer's row).

    The domain error is not chained to the IntegrityError on purpose: PostgreSQL's message
    contains the duplicate key, which can be a personal ID number, and a chained traceback
    would carry it into the error log.
    """
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:
        error = exc
    # Outside the `except` block, so the domain error carries no implicit __context__ either.
    explain()
    raise error


# --- accounts -----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_register_citizen(
    *,
    username: str,
    password: str,
    full_name: str,
    personal_id: str,
    date_of_birth: dt.date | None = None,
    phone: str = "",
    email: str = "",
    address: str = "",
    vneid_verified: bool = False,
) -> Citizen:
    """Create a citizen's account and profile.

    Writes a User (kind citizen, password hashed with the first configured hasher, Argon2) and
    a Citizen. No locks: the unique constraints on username and personal_id decide races.
    Raises InvalidInputError for any bad field (the personal ID rules are in identifiers.py)
    and AlreadyRegisteredError for a taken username or personal ID number. A VNeID-verified
    account is a proven holder of its number (accounts.identity).
    """
    return _register_citizen(
        username=username,
        password=password,
        full_name=full_name,
        personal_id=personal_id,
        date_of_birth=date_of_birth,
        phone=phone,
        email=email,
        address=address,
        vneid_verified=vneid_verified,
    )


def _register_citizen(
    *,
    username: str,
    password: str,
    full_name: str,
    personal_id: str,
    date_of_birth: dt.date | None,
    phone: str,
    email: str,
    address: str = "",
    vneid_verified: bool = False,
    awaiting_confirmation: bool = False,
    contact_required: bool = False,
) -> Citizen:
    username = clean_username(username)
    full_name = clean_full_name(full_name)
    _check_date_of_birth(date_of_birth)
    number = parse_personal_id(personal_id, date_of_birth=date_of_birth).number
    phone = clean_phone(phone)
    email = clean_email(email)
    if contact_required and not (phone or email):
        raise _contact_required()
    address = clean_text(address, field="address", max_length=255)
    check_password(password, username=username, email=email)

    def explain() -> None:
        clean_username(username)
        if Citizen.objects.filter(personal_id=number, user__isnull=False).exists():
            # Same message whoever holds it: the reason must not reveal whose number it is.
            raise AlreadyRegisteredError(
                "personal_id", gettext("This personal ID number is already registered.")
            )

    explain()

    def write() -> Citizen:
        user = _create_user(
            kind=UserKind.CITIZEN,
            username=username,
            password=password,
            email=email,
            awaiting_confirmation=awaiting_confirmation,
            display_name=full_name if awaiting_confirmation else "",
        )
        return Citizen.objects.create(
            user=user,
            full_name=full_name,
            personal_id=number,
            date_of_birth=date_of_birth,
            phone=phone,
            address=address,
            vneid_verified=vneid_verified,
            holder_proven_at=timezone.now() if vneid_verified else None,
        )

    citizen = _write_or_explain(write, explain)
    logger.info("Registered citizen %s", citizen.id, extra={"user_id": citizen.user_id})
    return citizen


def _contact_required() -> InvalidInputError:
    return InvalidInputError(
        "phone",
        gettext("Give a phone number or an email address: we send it a code to confirm it."),
    )


@transaction.atomic(durable=True)
def do_register_business(
    *,
    username: str,
    password: str,
    name: str,
    tax_code: str,
    representative_personal_id: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
) -> Business:
    """Create a business's account and profile.

    Writes a User (kind business) and a Business with the tax code in its printed form and the
    legal representative's personal ID number, if given (checked like a citizen's). No locks:
    unique constraints decide races. Raises InvalidInputError for a bad field (including a
    wrong check digit) and AlreadyRegisteredError for a taken username or tax code.
    """
    return _register_business(
        username=username,
        password=password,
        name=name,
        tax_code=tax_code,
        representative_personal_id=representative_personal_id,
        phone=phone,
        email=email,
        address=address,
    )


def _register_business(
    *,
    username: str,
    password: str,
    name: str,
    tax_code: str,
    representative_personal_id: str,
    phone: str,
    email: str,
    address: str,
    awaiting_confirmation: bool = False,
    sign_up: bool = False,
) -> Business:
    if sign_up:
        # The tax code is the login: check it first, so its errors are about the tax code.
        tax_code = normalise_tax_code(tax_code)
        username = tax_code
    else:
        username = clean_username(username)
    name = clean_text(name, field="name", max_length=255, required=True)
    tax_code = normalise_tax_code(tax_code)
    if sign_up and not representative_personal_id.strip():
        raise InvalidInputError(
            "representative_personal_id", gettext("The legal representative's ID is required.")
        )
    representative = _clean_representative(representative_personal_id)
    phone = clean_phone(phone)
    email = clean_email(email)
    if sign_up and not (phone or email):
        raise _contact_required()
    address = clean_text(address, field="address", max_length=255)
    check_password(password, username=username, email=email)

    def explain() -> None:
        if not sign_up:
            clean_username(username)
        if Business.objects.filter(tax_code=tax_code).exists() or (
            sign_up and User.objects.filter(username__iexact=username).exists()
        ):
            raise AlreadyRegisteredError(
                "tax_code", gettext("This tax code is already registered.")
            )

    explain()

    def write() -> Business:
        user = _create_user(
            kind=UserKind.BUSINESS,
            username=username,
            password=password,
            email=email,
            awaiting_confirmation=awaiting_confirmation,
            display_name=name if sign_up else "",
        )
        return Business.objects.create(
            user=user,
            name=name,
            tax_code=tax_code,
            representative_personal_id=representative,
            phone=phone,
            address=address,
        )

    business = _write_or_explain(write, explain)
    logger.info("Registered business %s", business.id, extra={"user_id": business.user_id})
    return business


# --- sign-up from the web pages: confirmed by a one-time code ----------------------------


@transaction.atomic(durable=True)
def do_sign_up_citizen(
    *,
    personal_id: str,
    full_name: str,
    date_of_birth: dt.date | None,
    phone: str,
    email: str,
    password: str,
    language: str = "vi",
) -> Citizen:
    """A citizen opens an account on the sign-up page; it waits for confirmation.

    Checks every field like do_register_citizen, plus a phone or an email (at least one); the
    login is the personal ID number, so the username is a random handle nobody sees. Writes a
    User (awaiting_confirmation), a Citizen, and a one-time code (accounts.otp) sent after the
    commit to the phone if given, else to the email. The account cannot sign in until
    do_confirm_contact. A counter profile with the same number stays apart (accounts.claims).
    Raises InvalidInputError and AlreadyRegisteredError (personal_id).
    """
    citizen = _register_citizen(
        username=f"cd-{secrets.token_hex(6)}",
        password=password,
        full_name=full_name,
        personal_id=personal_id,
        date_of_birth=date_of_birth,
        phone=phone,
        email=email,
        awaiting_confirmation=True,
        contact_required=True,
    )
    user = citizen.user
    assert user is not None
    _issue_confirmation(user, phone=citizen.phone, language=language)
    return citizen


@transaction.atomic(durable=True)
def do_sign_up_business(
    *,
    tax_code: str,
    name: str,
    representative_personal_id: str,
    phone: str,
    email: str,
    password: str,
    language: str = "vi",
) -> Business:
    """A business opens an account on the sign-up page; it waits for confirmation.

    The login is the tax code (public, so it may be a username). Checks every field like
    do_register_business, with the legal representative's ID number and a phone or an email
    required. Writes a User (awaiting_confirmation), a Business and a one-time code sent after
    the commit. Raises InvalidInputError and AlreadyRegisteredError (tax_code).
    """
    business = _register_business(
        username="",
        password=password,
        name=name,
        tax_code=tax_code,
        representative_personal_id=representative_personal_id,
        phone=phone,
        email=email,
        address="",
        awaiting_confirmation=True,
        sign_up=True,
    )
    _issue_confirmation(business.user, phone=business.phone, language=language)
    return business


def _issue_confirmation(user: User, *, phone: str, language: str) -> None:
    if phone:
        channel, recipient = otp.CodeChannel.SMS, phone
    else:
        channel, recipient = otp.CodeChannel.EMAIL, user.email
    issued = otp.issue_code(
        user.id, purpose=otp.CodePurpose.CONFIRM_CONTACT, channel=channel, recipient=recipient
    )
    otp.send_after_commit(issued, language=language)


def do_resend_confirmation_code(user: User, *, language: str = "vi") -> None:
    """Send a new confirmation code to an account still awaiting confirmation (the previous
    codes stop working). Does nothing for a confirmed account. The caller rate-limits it."""
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.awaiting_confirmation:
            return
        profile = (
            Citizen.objects.filter(user=user).first() or Business.objects.filter(user=user).first()
        )
        _issue_confirmation(user, phone=profile.phone if profile else "", language=language)
    logger.info("Confirmation code re-sent for user %s", user.id)


def do_confirm_contact(user: User, code: str) -> None:
    """Confirm the phone or email of a new account with the code sent to it; it may then sign in.

    Spends the code (accounts.otp: 10 minutes, 5 attempts, once). A confirmed SMS code also
    marks the citizen's phone confirmed, which lets the counter file dossiers given with that
    phone under this account (accounts.applicants). The wrong guess is recorded before the
    error is raised, so the attempts count. Raises WrongCodeError for any bad, expired, used
    or exhausted code.
    """
    now = timezone.now()
    with transaction.atomic(durable=True):
        row = otp.check_code(user.id, otp.CodePurpose.CONFIRM_CONTACT, code, now=now)
        if row is not None:
            User.objects.filter(pk=user.pk).update(awaiting_confirmation=False)
            user.awaiting_confirmation = False
            if row.channel == otp.CodeChannel.SMS:
                Citizen.objects.filter(user=user, phone=row.recipient).update(
                    phone_confirmed_at=now
                )
    if row is None:
        raise WrongCodeError()
    logger.info("User %s confirmed by %s", user.id, row.channel)


# --- applicants recorded at the counter ---------------------------------------------------


@transaction.atomic(durable=True)
def do_record_walk_in_applicant(
    *,
    personal_id: str,
    full_name: str,
    date_of_birth: dt.date | None,
    phone: str,
    address: str,
    acting_user: User,
) -> Citizen:
    """A receiving officer records a walk-in applicant who has no account, from their papers.

    Creates the profile without an account for `personal_id`, or updates it with what the
    person gave this time (the papers seen today are the latest truth). Never touches an
    account's profile, even with the same number: a dossier joins an account only by the rule
    of accounts.applicants. Only an official holding the receiver role somewhere may record
    (NotAReceiverError otherwise). The partial unique constraint on the number among
    profiles without an account settles two receivers recording the same person at once.
    Raises InvalidInputError naming the field. Logs ids only.
    """
    viewer = Viewer.of(acting_user)
    if viewer.official is None or not viewer.agency_ids([Role.RECEIVER]):
        raise NotAReceiverError()
    full_name = clean_full_name(full_name)
    _check_date_of_birth(date_of_birth)
    number = parse_personal_id(personal_id, date_of_birth=date_of_birth).number
    phone = clean_phone(phone)
    address = clean_text(address, field="address", max_length=255)
    fields = {
        "full_name": full_name,
        "date_of_birth": date_of_birth,
        "phone": phone,
        "address": address,
    }

    def write() -> Citizen:
        citizen = (
            Citizen.objects.select_for_update()
            .filter(personal_id=number, user__isnull=True, merged_at__isnull=True)
            .first()
        )
        if citizen is None:
            return Citizen.objects.create(personal_id=number, **fields)
        for name, value in fields.items():
            setattr(citizen, name, value)
        citizen.save(update_fields=list(fields))
        return citizen

    try:
        citizen = _write_or_explain(write, lambda: None)
    except IntegrityError:
        # Another receiver created the profile a moment ago: update it instead.
        citizen = _write_or_explain(write, lambda: None)
    logger.info(
        "Walk-in applicant %s recorded", citizen.id, extra={"acting_user_id": acting_user.id}
    )
    return citizen


def _clean_representative(personal_id: str) -> str:
    if not personal_id.strip():
        return ""
    return parse_personal_id(personal_id, field="representative_personal_id").number


@transaction.atomic(durable=True)
def do_set_business_representative(
    business: Business, personal_id: str, *, acting_user: User | None
) -> Business:
    """Record (or, with "", clear) the business's legal representative's personal ID number.

    The citizen with that number may then file dossiers for the business without a delegation
    (accounts.applicants). Updates one Business row; no lock: the last writer wins, as with a
    change in the business register. Raises InvalidInputError for a number that breaks the
    personal ID rules. Logs ids only.
    """
    business.representative_personal_id = _clean_representative(personal_id)
    business.save(update_fields=["representative_personal_id"])
    logger.info(
        "Representative set for business %s",
        business.id,
        extra={"acting_user_id": acting_user.id if acting_user else None},
    )
    return business


@transaction.atomic(durable=True)
def do_create_official(
    *,
    username: str,
    password: str,
    full_name: str,
    position_title: str = "",
    phone: str = "",
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    acting_user: User | None,
) -> Official:
    """Create an official's account and profile, with no roles yet (see do_grant_role).

    `is_staff`/`is_superuser` open the Django admin; only system administrators get them.
    `acting_user` is who created the account (None: a management command). No locks. Raises
    InvalidInputError and AlreadyRegisteredError (username).
    """
    username = clean_username(username)
    full_name = clean_full_name(full_name)
    position_title = clean_text(position_title, field="position_title", max_length=150)
    phone = clean_phone(phone)
    email = clean_email(email)
    check_password(password, username=username, email=email)

    def write() -> Official:
        user = _create_user(
            kind=UserKind.OFFICIAL,
            username=username,
            password=password,
            email=email,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        return Official.objects.create(
            user=user, full_name=full_name, position_title=position_title, phone=phone
        )

    def explain() -> None:
        clean_username(username)

    official = _write_or_explain(write, explain)
    logger.info(
        "Created official %s",
        official.id,
        extra={
            "user_id": official.user_id,
            "acting_user_id": acting_user.id if acting_user else None,
        },
    )
    return official


@transaction.atomic(durable=True)
def do_set_password(user: User, password: str, *, acting_user: User | None) -> None:
    """Replace a user's password after checking it with the configured validators.

    Updates only User.password, hashed with the first configured hasher. Existing sessions of
    that user stop working (Django ties sessions to the password hash). No locks: the last
    writer wins, which is what a password reset means. Raises InvalidInputError.
    """
    check_password(password, username=user.username, email=user.email)
    user.set_password(password)
    user.save(update_fields=["password"])
    logger.info(
        "Password set for user %s",
        user.id,
        extra={"acting_user_id": acting_user.id if acting_user else None},
    )


# --- roles --------------------------------------------------------------------------------


def _clean_role(role: str) -> Role:
    if role not in Role.values:
        raise InvalidInputError("role", gettext("This is not a known role."))
    return Role(role)


@transaction.atomic(durable=True)
def do_grant_role(
    official: Official, agency: Agency, role: Role | str, *, acting_user: User | None
) -> RoleMembership:
    """Give `official` the `role` at `agency`.

    Writes one RoleMembership. No locks: the unique constraint on (official, agency, role)
    decides a race between two grants. Raises InvalidInputError (unknown role, inactive agency)
    and RoleAlreadyGrantedError.
    """
    role = _clean_role(role)
    if not agency.is_active:
        raise InvalidInputError("agency", gettext("The agency is no longer active."))

    def explain() -> None:
        if RoleMembership.objects.filter(official=official, agency=agency, role=role).exists():
            raise RoleAlreadyGrantedError(role.value, agency.code)

    explain()
    membership = _write_or_explain(
        lambda: RoleMembership.objects.create(
            official=official, agency=agency, role=role, granted_by=acting_user
        ),
        explain,
    )
    logger.info(
        "Granted role %s at agency %s to official %s",
        role.value,
        agency.code,
        official.id,
        extra={"acting_user_id": acting_user.id if acting_user else None},
    )
    return membership


@transaction.atomic(durable=True)
def do_revoke_role(
    official: Official, agency: Agency, role: Role | str, *, acting_user: User | None
) -> None:
    """Take `role` at `agency` away from `official`.

    Deletes the RoleMembership row (the effect is immediate for every later access check).
    No locks: a concurrent revoke simply finds nothing. Raises InvalidInputError (unknown role)
    and RoleNotHeldError.
    """
    role = _clean_role(role)
    deleted, _by_model = RoleMembership.objects.filter(
        official=official, agency=agency, role=role
    ).delete()
    if not deleted:
        raise RoleNotHeldError(role.value, agency.code)
    logger.info(
        "Revoked role %s at agency %s from official %s",
        role.value,
        agency.code,
        official.id,
        extra={"acting_user_id": acting_user.id if acting_user else None},
    )
