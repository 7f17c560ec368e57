"""Claiming the dossiers recorded at the counter for someone without an account.

A receiving officer records a walk-in applicant without an account (a profile with no user,
accounts.actions.do_record_walk_in_applicant); their dossiers are seen by officials only. When
the person later opens an account with the same personal ID number, the number alone proves
nothing: anyone can type anyone's number. The account holder proves they are the person who
stood at the counter with one of two things only that person has:

- a one-time code sent by SMS to the phone recorded at the counter (the page shows the last two
  digits of that phone, so the person knows which phone to look at), or
- the claim code printed on the receipt (form 01) of any of those dossiers (`Dossier.claim_code`,
  drawn by `new_claim_code` when the dossier is filed).

A successful claim moves every dossier of the counter profile to the account's profile, with an
event on each dossier's audit chain (action "claim"), marks the counter profile merged into the
account's, and the account a proven holder of the number: later counter dossiers for the number
go straight to the account (accounts.applicants). Every failed proof gets the same message
(WrongCodeError); the callers rate-limit the attempts per account and per address.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from motcua.accounts import otp
from motcua.accounts.errors import WrongCodeError
from motcua.accounts.models import Citizen, User

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: the code is read off paper and typed on a phone.
CLAIM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLAIM_CODE_LENGTH = 8  # 31^8 ≈ 8.5 × 10^11, against a rate-limited guesser


def new_claim_code() -> str:
    """A random claim code for a receipt, like `K7QM-4TZP` without the dash."""
    return "".join(secrets.choice(CLAIM_CODE_ALPHABET) for _ in range(CLAIM_CODE_LENGTH))


def format_claim_code(code: str) -> str:
    """As printed: two groups of four (`K7QM-4TZP`)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CLAIM_CODE_LENGTH else code


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class Claimable:
    """What a signed-in citizen may claim: the counter profile with their number, and the last
    two digits of the phone recorded there ("" when none was)."""

    profile: Citizen
    phone_hint: str

    @property
    def can_send_code(self) -> bool:
        return bool(self.profile.phone)


def claimable_for(user: User) -> Claimable | None:
    """The counter profile an account may claim (same ID number, not merged), if any. Two
    indexed queries. Only a citizen account with a profile can claim."""
    own = Citizen.objects.filter(user=user).only("personal_id").first()
    if own is None:
        return None
    profile = Citizen.objects.filter(
        personal_id=own.personal_id, user__isnull=True, merged_at__isnull=True
    ).first()
    if profile is None:
        return None
    return Claimable(profile, profile.phone[-2:] if profile.phone else "")


def do_send_claim_code(user: User, *, language: str = "vi") -> None:
    """Send a one-time code to the phone recorded at the counter for the account's number.

    Writes a OneTimeCode (purpose claim, the counter profile as target), sent after the commit.
    The caller rate-limits it. Raises WrongCodeError when there is nothing to claim or no phone
    was recorded (the page offers the button only when there is).
    """
    with transaction.atomic(durable=True):
        claimable = claimable_for(user)
        if claimable is None or not claimable.can_send_code:
            raise WrongCodeError()
        issued = otp.issue_code(
            user.id,
            purpose=otp.CodePurpose.CLAIM,
            channel=otp.CodeChannel.SMS,
            recipient=claimable.profile.phone,
            target_id=claimable.profile.id,
        )
        otp.send_after_commit(issued, language=language)
    logger.info("Claim code sent for user %s", user.id)


def do_claim_counter_dossiers(user: User, *, phone_code: str = "", receipt_code: str = "") -> int:
    """Move the counter profile's dossiers to the account once it proves it holds the number.

    The proof is `phone_code` (the one-time code sent by do_send_claim_code) or `receipt_code`
    (a claim code printed on one of the profile's receipts). On success, in one transaction:
    each dossier is locked, given to the account's profile, and gets a "claim" event on its
    audit chain (the proof's kind in the payload, ids only); the counter profile is marked
    merged into the account's; the account becomes a proven holder (`holder_proven_at`).
    Returns the number of dossiers moved. A wrong phone code counts an attempt, kept even
    though the call fails. Raises WrongCodeError for any failed proof, with one message.
    """
    from motcua.dossiers.claims import move_dossiers  # noqa: PLC0415  (dossiers → accounts)

    now = timezone.now()
    moved = -1
    with transaction.atomic(durable=True):
        own = Citizen.objects.select_for_update().filter(user=user).first()
        claimable = claimable_for(user) if own is not None else None
        if own is not None and claimable is not None:
            profile = Citizen.objects.select_for_update().get(pk=claimable.profile.pk)
            if _proven(user, profile, phone_code=phone_code, receipt_code=receipt_code):
                proof = "phone_code" if phone_code else "receipt_code"
                moved = move_dossiers(profile, own, user=user, proof=proof, now=now)
                profile.merged_into, profile.merged_at = own, now
                profile.save(update_fields=["merged_into", "merged_at"])
                if own.holder_proven_at is None:
                    own.holder_proven_at = now
                    own.save(update_fields=["holder_proven_at"])
    if moved < 0:
        logger.info("Claim refused for user %s", user.id)
        raise WrongCodeError()
    logger.info("User %s claimed %s counter dossiers", user.id, moved)
    return moved


def _proven(user: User, profile: Citizen, *, phone_code: str, receipt_code: str) -> bool:
    if phone_code.strip():
        row = otp.check_code(user.id, otp.CodePurpose.CLAIM, phone_code)
        return row is not None and row.target_id == profile.id
    wanted = _normalise(receipt_code)
    if len(wanted) != CLAIM_CODE_LENGTH:
        return False
    codes = profile.dossiers.exclude(claim_code="").values_list("claim_code", flat=True)
    # Every code is compared, in constant time each, so the time taken says nothing.
    matches = [constant_time_compare(code, wanted) for code in codes]
    return any(matches)
