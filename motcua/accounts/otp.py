"""One-time codes: six digits sent by SMS or email to prove that a person holds a phone or mailbox.

Used to confirm the contact given at sign-up and to claim dossiers recorded at the counter
(accounts.claims). A code

- is stored only as an HMAC (keyed by the secret key and a random salt per code), never in clear:
  a copy of the database does not reveal live codes;
- expires CODE_LIFETIME (10 minutes) after it is issued;
- allows MAX_ATTEMPTS (5) wrong guesses, after which it is spent and a new one must be asked for;
- is used once: a right guess spends it, and issuing a new code for the same purpose spends the
  previous ones, so only the latest message works.

Sending is a provider call that no transaction can take back, so it happens after the commit
(`transaction.on_commit`), with the existing channels: the SMS gateway of
motcua.notifications.sms (the development gateway appends to var/sms-outbox.jsonl, the tests'
one keeps messages in memory) and Django's mail. The clear code exists only in the message, and
is deliberately not put on a task queue, whose rows would keep it. A message that fails to leave
is logged; the person asks for another (resends are rate-limited by the callers).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from motcua.notifications.sms import get_sms_gateway

logger = logging.getLogger(__name__)

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
CODE_DIGITS = 6


class CodePurpose(models.TextChoices):
    CONFIRM_CONTACT = "confirm", _("Confirm the phone or email of a new account")
    CLAIM = "claim", _("Claim the dossiers recorded at the counter")


class CodeChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


class OneTimeCode(models.Model):
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="one_time_codes"
    )
    purpose = models.CharField(max_length=10, choices=CodePurpose.choices)
    channel = models.CharField(max_length=10, choices=CodeChannel.choices)
    # The phone (0912345678) or email address the code was sent to.
    recipient = models.CharField(max_length=254)
    # For a claim: the counter profile whose dossiers the code unlocks.
    target = models.ForeignKey(
        "accounts.Citizen", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # Used, superseded by a newer code, or out of attempts.
    spent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["user", "purpose", "spent_at"], name="otp_live")]

    def __str__(self) -> str:
        return f"{self.purpose} code of {self.user_id} ({self.channel})"


@dataclass(frozen=True)
class Issued:
    """A code just issued: the row, and the clear code for the message (never stored)."""

    row: OneTimeCode
    code: str


def _digest(salt: str, code: str) -> str:
    return salted_hmac("motcua.accounts.otp", f"{salt}:{code}").hexdigest()


def issue_code(
    user_id: int,
    *,
    purpose: CodePurpose,
    channel: CodeChannel,
    recipient: str,
    target_id: int | None = None,
    now: dt.datetime | None = None,
) -> Issued:
    """Spend the user's live codes for `purpose` and store a new one (hashed). Call inside the
    caller's transaction; send the message with `send_after_commit`."""
    now = now or timezone.now()
    OneTimeCode.objects.filter(user_id=user_id, purpose=purpose, spent_at__isnull=True).update(
        spent_at=now
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    row = OneTimeCode.objects.create(
        user_id=user_id,
        purpose=purpose,
        channel=channel,
        recipient=recipient,
        target_id=target_id,
        salt=salt,
        code_hash=_digest(salt, code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    return Issued(row, code)


def live_code(
    user_id: int, purpose: CodePurpose, *, now: dt.datetime | None = None
) -> OneTimeCode | None:
    """The user's latest unspent, unexpired code for `purpose`, if any."""
    now = now or timezone.now()
    return (
        OneTimeCode.objects.filter(
            user_id=user_id, purpose=purpose, spent_at__isnull=True, expires_at__gt=now
        )
        .order_by("-created_at", "-id")
        .first()
    )


def check_code(
    user_id: int, purpose: CodePurpose, code: str, *, now: dt.datetime | None = None
) -> OneTimeCode | None:
    """The live code `code` matches, spent by this call; None for a wrong, expired, used or
    exhausted code (the callers say the same thing for each). A wrong guess counts an attempt;
    the MAX_ATTEMPTS-th wrong guess spends the code. Locks the code's row (select_for_update),
    so two guesses at once count as two. Call inside a transaction."""
    now = now or timezone.now()
    row = (
        OneTimeCode.objects.select_for_update()
        .filter(user_id=user_id, purpose=purpose, spent_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None:
        return None
    if constant_time_compare(row.code_hash, _digest(row.salt, code.strip())):
        OneTimeCode.objects.filter(pk=row.pk).update(spent_at=now)
        row.spent_at = now
        return row
    spent = now if row.attempts + 1 >= MAX_ATTEMPTS else None
    OneTimeCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1, spent_at=spent)
    return None


def send_after_commit(issued: Issued, *, language: str = "vi") -> None:
    """Send the code once the transaction commits (a provider call is never made inside one)."""
    row, code = issued.row, issued.code
    transaction.on_commit(lambda: _send(row, code, language), robust=True)


def _send(row: OneTimeCode, code: str, language: str) -> None:
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    with override(language):
        if row.purpose == CodePurpose.CLAIM:
            text = gettext(
                "MotCua: {code} is your code to claim the dossiers filed at the counter. It "
                "expires in {minutes} minutes. Never give it to anyone."
            )
        else:
            text = gettext(
                "MotCua: {code} is your code to confirm your new account. It expires in "
                "{minutes} minutes. Never give it to anyone."
            )
        text = text.format(code=code, minutes=minutes)
        subject = gettext("Your MotCua code")
    key = f"otp-{row.pk}"
    try:
        if row.channel == CodeChannel.SMS:
            get_sms_gateway().send(row.recipient, text, key)
        else:
            EmailMessage(
                subject=subject,
                body=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[row.recipient],
            ).send(fail_silently=False)
    except Exception:
        # The person sees no code and asks for another; the address stays out of the log.
        logger.warning("One-time code %s could not be sent", row.pk, exc_info=True)
        return
    logger.info("One-time code %s sent by %s", row.pk, row.channel)
