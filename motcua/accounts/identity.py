"""The seam for national electronic identification (VNeID) and other identity providers.

VNeID sign-in (Decree 69/2024/NĐ-CP; the national public-service portal's "Đăng nhập bằng
VNeID") is not built yet. When it is, it plugs in here and nowhere else:

1. An adapter speaks the provider's protocol (OpenID Connect with the Ministry of Public
   Security's identity service) in a view of its own, and turns a successful sign-in into a
   `VerifiedIdentity`: the personal ID number, the full name and the date of birth *as the
   population database holds them*, and the provider's name. The adapter is responsible for
   checking the provider's signature, audience, expiry and nonce; this module trusts what it is
   given and must only ever be called with an identity the adapter verified.
2. The view calls `do_sign_in_verified(identity)`, then `django.contrib.auth.login` with the
   returned user.

`do_sign_in_verified` finds the account with that ID number, or creates one (no password: the
provider is the only way in until the person sets one), and marks the profile `vneid_verified`
and a proven holder of the number (`holder_proven_at`): from then on dossiers the counter
records for the number join the account (accounts.applicants), and the dossiers of a counter
profile with the number can be claimed at once (accounts.claims). An account that was waiting
for its sign-up code no longer waits: the provider has vouched for the person.

What the identity must never do: override a profile's name with a name that was merely typed,
or be built from request parameters. There is no test double of the provider here on purpose;
tests call `do_sign_in_verified` with a `VerifiedIdentity` directly.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from motcua.accounts.identifiers import parse_personal_id
from motcua.accounts.models import Citizen, User, UserKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerifiedIdentity:
    """What an identity provider vouched for, after the adapter checked its signature."""

    personal_id: str
    full_name: str
    date_of_birth: dt.date | None
    provider: str = "vneid"


@transaction.atomic(durable=True)
def do_sign_in_verified(identity: VerifiedIdentity) -> User:
    """The account to sign in for a verified identity: the existing one with the ID number, or
    a new citizen account without a password. Either way the profile becomes VNeID-verified and
    a proven holder of the number, with the name and date of birth the provider gave. Locks the
    profile row. Raises InvalidInputError if the provider's number breaks the ID rules."""
    number = parse_personal_id(identity.personal_id, date_of_birth=identity.date_of_birth).number
    now = timezone.now()
    citizen = (
        Citizen.objects.select_for_update()
        .filter(personal_id=number, user__isnull=False)
        .select_related("user")
        .first()
    )
    if citizen is None:
        user = User(
            username=f"cd-{secrets.token_hex(6)}",
            kind=UserKind.CITIZEN,
            first_name=identity.full_name[:150],
        )
        user.set_unusable_password()
        user.save()
        citizen = Citizen(user=user, personal_id=number)
    user = citizen.user
    assert user is not None
    citizen.full_name = identity.full_name
    citizen.date_of_birth = identity.date_of_birth
    citizen.vneid_verified = True
    citizen.holder_proven_at = citizen.holder_proven_at or now
    citizen.save()
    if user.awaiting_confirmation:
        User.objects.filter(pk=user.pk).update(awaiting_confirmation=False)
        user.awaiting_confirmation = False
    logger.info("User %s signed in through %s", user.pk, identity.provider)
    return user
