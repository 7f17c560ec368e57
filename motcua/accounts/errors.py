"""Business-rule errors of people and roles."""

from __future__ import annotations

from django.utils.translation import gettext

from motcua.common.errors import DomainError, InvalidInputError


class AlreadyRegisteredError(InvalidInputError):
    """A username, personal ID number or tax code that another account already has.

    A subclass of InvalidInputError so a form shows it next to `field`; its own code so a client
    can offer "log in instead". The reason never repeats a full personal ID number.
    """

    code = "ALREADY_REGISTERED"
    http_status = 409


class RoleAlreadyGrantedError(DomainError):
    code = "ROLE_ALREADY_GRANTED"
    http_status = 409
    data_fields = ("role", "agency")

    def __init__(self, role: str, agency: str) -> None:
        super().__init__(role, agency)
        self.role, self.agency = role, agency

    @staticmethod
    def msg_format() -> str:
        return gettext("The official already has the role {role} at agency {agency}.")


class RoleNotHeldError(DomainError):
    code = "ROLE_NOT_HELD"
    http_status = 404
    data_fields = ("role", "agency")

    def __init__(self, role: str, agency: str) -> None:
        super().__init__(role, agency)
        self.role, self.agency = role, agency

    @staticmethod
    def msg_format() -> str:
        return gettext("The official does not have the role {role} at agency {agency}.")


class NotAReceiverError(DomainError):
    """Only a receiving officer records an applicant at the counter."""

    code = "FORBIDDEN"
    http_status = 403

    @staticmethod
    def msg_format() -> str:
        return gettext("Only a receiving officer records applicants at the counter.")


class WrongCodeError(InvalidInputError):
    """A one-time or claim code that is wrong, expired, used up or already used.

    One message for every case, so a guesser learns nothing from it (accounts.otp)."""

    code = "WRONG_CODE"

    def __init__(self, field: str = "code") -> None:
        super().__init__(
            field,
            gettext(
                "This code is not right, or it is no longer valid. Check it, or ask for a new one."
            ),
        )


class DelegationNotPermittedError(DomainError):
    """Only the leader whose authority it is, or an administrator of the agency, lends it or
    takes it back."""

    code = "FORBIDDEN"
    http_status = 403

    @staticmethod
    def msg_format() -> str:
        return gettext(
            "Only the delegating leader or an administrator of the agency may give or revoke "
            "this delegation."
        )


class DelegationAlreadyRevokedError(DomainError):
    code = "DELEGATION_REVOKED"
    http_status = 409

    @staticmethod
    def msg_format() -> str:
        return gettext("This delegation has already been revoked.")


class DelegationNotInForceError(DomainError):
    """A delegate acted outside their delegation's period, or after it was revoked: said
    plainly, with the moment, so they know to ask the leader rather than retry."""

    code = "DELEGATION_NOT_IN_FORCE"
    http_status = 403
    data_fields = ("action", "delegator", "moment")

    def __init__(self, action: str, delegator: str, moment: str) -> None:
        super().__init__(action, delegator, moment)
        self.action, self.delegator, self.moment = action, delegator, moment


class DelegationNotStartedError(DelegationNotInForceError):
    @staticmethod
    def msg_format() -> str:
        return gettext(
            "Your delegation from {delegator} to {action} is not in force yet: it starts at "
            "{moment}."
        )


class DelegationEndedError(DelegationNotInForceError):
    @staticmethod
    def msg_format() -> str:
        return gettext("Your delegation from {delegator} to {action} ended at {moment}.")


class DelegationRevokedError(DelegationNotInForceError):
    @staticmethod
    def msg_format() -> str:
        return gettext("Your delegation from {delegator} to {action} was revoked at {moment}.")
