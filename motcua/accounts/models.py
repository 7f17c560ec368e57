"""People and roles: login accounts, the three kinds of profile, officials' roles per agency.

A `User` is the login; its `kind` says which profile hangs off it (exactly one: `citizen`,
`business` or `official`). Only `actions.py` creates or changes profiles and roles, so the
identifiers in them have always been checked by `identifiers.py`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.masking import mask_personal_id


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business or organisation")
    OFFICIAL = "official", _("Official")


class AccountManager(UserManager["User"]):
    """Django's manager, with a kind for the accounts it makes outside the actions.

    `createsuperuser` and test helpers call these; a superuser is staff, so an official. Plain
    users default to the least-privileged kind. Neither gets a profile: the actions do that.
    """

    def create_user(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> User:
        extra_fields.setdefault("kind", UserKind.CITIZEN)
        return super().create_user(username, email, password, **extra_fields)

    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> User:
        extra_fields.setdefault("kind", UserKind.OFFICIAL)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A login. The username is a chosen handle; logging in with the personal ID number looks
    the number up in `Citizen` (accounts.backends), so the number never becomes a username shown
    in lists and logs.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=UserKind.choices)
    # Set by the sign-up pages until the phone or email given there is confirmed with a one-time
    # code (accounts.otp): the account cannot sign in meanwhile. Accounts made any other way
    # (officials, the demo, the API's tests) never wait.
    awaiting_confirmation = models.BooleanField(_("awaiting confirmation"), default=False)

    objects: ClassVar[AccountManager] = AccountManager()  # type: ignore[assignment]

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UserKind.values), name="user_kind_valid"),
        ]

    @property
    def is_citizen(self) -> bool:
        return self.kind == UserKind.CITIZEN

    @property
    def is_business(self) -> bool:
        return self.kind == UserKind.BUSINESS

    @property
    def is_official(self) -> bool:
        return self.kind == UserKind.OFFICIAL


class Citizen(models.Model):
    """A person who files dossiers for themselves (or, later, as someone's representative).

    Most profiles hang off an account. A profile without one was *recorded at the counter* by a
    receiving officer for a walk-in applicant (accounts.actions.do_record_walk_in_applicant):
    its dossiers are seen by officials only, until the holder of the ID number proves it from
    their own account (accounts.claims) and the profile is merged into the account's. The same
    ID number may therefore appear twice, once with an account and once without; knowing it is
    never enough to join the two.
    """

    user = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        related_name="citizen",
        verbose_name=_("account"),
        null=True,
        blank=True,
    )
    full_name = models.CharField(_("full name"), max_length=150)
    # Never displayed in full: use `masked_personal_id` (admin, __str__, errors, logs).
    personal_id = models.CharField(_("personal ID number"), max_length=12)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Decision 766 indicator 4.5 and the DVCQG field TaiKhoanDuocXacThucVoiVNeID: the identity
    # was confirmed against the population database through VNeID, not merely typed in.
    vneid_verified = models.BooleanField(_("verified with VNeID"), default=False)
    # When the account proved it holds the ID number (a claim with a code sent to the phone
    # recorded at the counter or printed on a receipt, or a VNeID sign-in): from then on the
    # counter files this number's dossiers under the account (accounts.applicants).
    holder_proven_at = models.DateTimeField(_("holder proven at"), null=True, blank=True)
    # When `phone` was confirmed with a one-time code sent to it.
    phone_confirmed_at = models.DateTimeField(_("phone confirmed at"), null=True, blank=True)
    # A counter profile whose dossiers were claimed: kept (the events name it) but never used
    # again; `merged_into` is the account's profile that took its dossiers.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["personal_id"],
                condition=Q(user__isnull=False),
                name="citizen_personal_id_once_per_account",
            ),
            models.UniqueConstraint(
                fields=["personal_id"],
                condition=Q(user__isnull=True, merged_at__isnull=True),
                name="citizen_personal_id_once_at_counter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.masked_personal_id})"

    @property
    def masked_personal_id(self) -> str:
        return mask_personal_id(self.personal_id)

    @property
    def has_account(self) -> bool:
        return self.user_id is not None

    @property
    def is_proven_holder(self) -> bool:
        """The account has shown it holds the ID number (a claim, or VNeID)."""
        return self.holder_proven_at is not None or self.vneid_verified


class Business(models.Model):
    """An enterprise, branch or other organisation identified by its tax code."""

    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="business", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=255)
    # The printed form: `0314409058` or `0314409058-002` for a branch (identifiers.py).
    tax_code = models.CharField(_("tax code"), max_length=14, unique=True)
    # The personal ID number of the legal representative (người đại diện theo pháp luật) as
    # registered: a citizen with this number files for the business in their own name, without
    # a delegation (accounts.applicants). Never displayed in full, like Citizen.personal_id.
    representative_personal_id = models.CharField(
        _("legal representative's personal ID number"), max_length=12, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        # Tax codes are public (the tax authority publishes them), so they are shown in full.
        return f"{self.name} ({self.tax_code})"

    @property
    def masked_representative_personal_id(self) -> str:
        return mask_personal_id(self.representative_personal_id)


class FilerCapacity(models.TextChoices):
    """In which capacity the account that filed a dossier filed it (who filed is the dossier's
    `submitted_by`, for whom its applicant). Recorded on the dossier and in its submit event."""

    SELF = "self", _("The applicant themselves")
    REPRESENTATIVE = "representative", _("The business's registered legal representative")
    DELEGATE = "delegate", _("A delegate acting for the applicant")
    # A receiving officer keys in a dossier handed in at the counter or by post, after checking
    # the applicant's (or their delegate's) papers in person.
    COUNTER = "counter", _("Recorded by the receiving officer")


class Official(models.Model):
    """A civil servant. What they may do comes only from their role memberships."""

    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="official", verbose_name=_("account")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position_title = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # Drawn anew whenever one of the official's role memberships is granted, changed or revoked
    # (accounts.viewer): read with the login on every request, it tells each process whether the
    # roles it keeps for this official are still the current ones. Random rather than a counter,
    # so that an official whose id was used before (a rolled-back creation) never matches.
    roles_stamp = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name


class Role(models.TextChoices):
    """What an official does at one agency (DOMAIN.md §1.1). Roles are per agency: the same
    person can be a specialist at the Justice department and a receiver at the centre.
    """

    RECEIVER = "receiver", _("Receiving officer (one-stop counter)")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader (approves and signs)")
    CLERK = "clerk", _("Clerk (numbers, seals and issues results)")
    MANAGER = "manager", _("Manager (monitoring and reports)")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleMembership(models.Model):
    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("official")
    )
    # PROTECT: an agency is deactivated, never deleted, while anyone holds a role there.
    agency = models.ForeignKey(
        "units.Agency",
        on_delete=models.PROTECT,
        related_name="role_memberships",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now, editable=False)
    granted_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        ordering = ["agency", "role", "official"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "agency", "role"], name="role_once_per_official_agency"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="role_valid"),
        ]
        indexes = [models.Index(fields=["agency", "role"], name="role_by_agency")]

    def __str__(self) -> str:
        return f"{self.official} — {self.get_role_display()} @ {self.agency.code}"


class DelegatedAction(models.TextChoices):
    """What a leader may lend (the workflow's actions of the same names, dossiers.workflow)."""

    APPROVE = "approve", _("Approve")
    SIGN = "sign", _("Sign")


class Delegation(models.Model):
    """A leader lends their authority to approve and/or sign, for named procedures and a period,
    to another official of the same agency: the delegate then acts "on behalf of" the leader
    (ký thừa ủy quyền, "TUQ.", Decree 30/2020/NĐ-CP art. 13: in writing, for a limited time,
    never lent on again).

    Kept here, next to RoleMembership, because it is a grant of authority like a role: the
    viewer (accounts.viewer) keeps an official's delegations under the same `roles_stamp`, which
    every write of a delegation draws anew for the delegate. The row is its own record: it is
    never deleted; revoking stamps `revoked_at`/`revoked_by`. Procedures are named by their
    national codes, which outlive catalogue reloads. Only accounts.delegations writes it.
    """

    delegator = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        related_name="delegations_given",
        verbose_name=_("delegating leader"),
    )
    delegate = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        related_name="delegations_received",
        verbose_name=_("delegate"),
    )
    agency = models.ForeignKey(
        "units.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    # The delegator's position when they delegated: the slips print "TUQ. <title>".
    delegator_title = models.CharField(_("delegating leader's position"), max_length=150)
    procedure_codes = models.JSONField(_("procedures (national codes)"), default=list)
    actions = models.JSONField(_("actions"), default=list)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="delegation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(delegator=models.F("delegate")), name="delegation_to_another"
            ),
        ]
        indexes = [
            models.Index(fields=["delegate", "valid_until"], name="delegation_by_delegate"),
            models.Index(fields=["agency", "valid_until"], name="delegation_by_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.delegator_id} → {self.delegate_id} @ {self.agency_id}"

    def covers(self, action: str, agency_id: int, procedure_code: str, at: dt.datetime) -> bool:
        """Whether the delegate may take `action` on a dossier of `procedure_code` held at
        `agency_id`, at the moment `at` (the action's own time: expiry needs no job)."""
        return (
            self.revoked_at is None
            and self.agency_id == agency_id
            and action in self.actions
            and procedure_code in self.procedure_codes
            and self.valid_from <= at < self.valid_until
        )


# API tokens live in their own module; importing it here registers the model with the app.
from motcua.accounts.otp import OneTimeCode  # noqa: E402
from motcua.accounts.tokens import ApiToken  # noqa: E402

__all__ = [
    "ApiToken",
    "Business",
    "Citizen",
    "DelegatedAction",
    "Delegation",
    "FilerCapacity",
    "Official",
    "OneTimeCode",
    "Role",
    "RoleMembership",
    "User",
]
