"""Errors of the queue; the views turn them into a page with the message, the API into JSON."""

from __future__ import annotations

from django.utils.translation import gettext

from motcua.common.errors import DomainError
from motcua.dossiers.tracking import TooManyRequestsError


class CentreNotFoundError(DomainError):
    code = "NOT_FOUND"
    http_status = 404
    data_fields = ("centre",)

    def __init__(self, centre: str) -> None:
        super().__init__(centre)
        self.centre = centre

    @staticmethod
    def msg_format() -> str:
        return gettext("No service centre with the code {centre}.")


class CounterNotFoundError(DomainError):
    code = "NOT_FOUND"
    http_status = 404
    data_fields = ("counter",)

    def __init__(self, counter: str) -> None:
        super().__init__(counter)
        self.counter = counter

    @staticmethod
    def msg_format() -> str:
        return gettext("This centre has no counter {counter}.")


class NotAReceiverHereError(DomainError):
    """Only a receiving officer of the centre calls its numbers."""

    code = "NOT_PERMITTED"
    http_status = 403

    @staticmethod
    def msg_format() -> str:
        return gettext("Only a receiving officer of this centre may call numbers at its counters.")


class TicketNotCurrentError(DomainError):
    """The ticket is not the one this counter is serving (another click or counter was first)."""

    code = "CONFLICT"
    http_status = 409
    data_fields = ("ticket",)

    def __init__(self, ticket: str) -> None:
        super().__init__(ticket)
        self.ticket = ticket

    @staticmethod
    def msg_format() -> str:
        return gettext("Number {ticket} is no longer being served at this counter.")


class TooManyTicketsError(TooManyRequestsError):
    """The rate limit of the tracking page, with its own words: a tablet, not a look-up."""

    @staticmethod
    def msg_format() -> str:
        return gettext("Too many numbers were taken from this device. Please ask at the desk.")
