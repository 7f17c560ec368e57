"""Which messages a dossier event calls for: the events, the recipients, the texts.

Reads only. The event's payload is the source for what the event decided (the due time at
acceptance, the missing documents, the reason, the new date): the dossier may have moved on by
the time the messages are planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings

from motcua.accounts.models import User, UserKind
from motcua.dossiers.models import Channel as DossierChannel
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notifications.models import Channel, Language
from motcua.notifications.rendering import local_time, render_message
from motcua.units.models import Agency

# Dossier actions the applicant is told about (issue 5, DOMAIN §2.4–2.5); the template key is
# the action's name.
NOTIFIED_ACTIONS = frozenset(
    {
        "submit",  # received (online: not yet accepted)
        "accept",  # accepted: the receipt and the appointment for the result
        "request_supplement",  # the documents to add, in writing
        "refuse",  # not accepted, and why
        "reschedule",  # the written apology and the one new date (Decree 61/2018)
        "issue_result",  # the result is ready, and how to get it
        "return_result",  # the result was handed over
    }
)

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class PlannedMessage:
    channel: str
    recipient: str
    language: str
    template_key: str
    subject: str
    body: str


def plan_messages(event: DossierEvent) -> list[PlannedMessage]:
    """The messages `event` calls for, one per channel and address; none for other actions."""
    if event.action not in NOTIFIED_ACTIONS:
        return []
    dossier = event.dossier
    planned = []
    contexts: dict[str, dict[str, Any]] = {}
    for channel, address, user in recipients(dossier):
        language = language_for(user)
        if language not in contexts:
            contexts[language] = message_context(event, dossier, language=language)
        rendered = render_message(
            event.action, channel=channel, language=language, context=contexts[language]
        )
        planned.append(
            PlannedMessage(
                channel=channel,
                recipient=address,
                language=language,
                template_key=event.action,
                subject=rendered.subject,
                body=rendered.body,
            )
        )
    return planned


def recipients(dossier: Dossier) -> list[tuple[str, str, User | None]]:
    """(channel, address, user) for the applicant and, when someone else submitted for them, that
    delegate; each address once. Channels without an address are skipped. An official who
    recorded a counter dossier is not a delegate and is not told.
    """
    people: list[tuple[User | None, str]] = []
    if dossier.applicant_citizen is not None:
        # A person recorded at the counter without an account has only the phone given there.
        people.append((dossier.applicant_citizen.user, dossier.applicant_citizen.phone))
    elif dossier.applicant_business is not None:
        people.append((dossier.applicant_business.user, dossier.applicant_business.phone))
    submitter = dossier.submitted_by
    if submitter.kind in (UserKind.CITIZEN, UserKind.BUSINESS) and all(
        user is None or user.id != submitter.id for user, _phone in people
    ):
        people.append((submitter, _phone_of(submitter)))
    found: list[tuple[str, str, User | None]] = []
    seen: set[tuple[str, str]] = set()
    for user, phone in people:
        email = user.email if user is not None else ""
        for channel, raw in ((Channel.EMAIL, email), (Channel.SMS, phone)):
            address = raw.strip()
            key = (channel, address.casefold())
            if address and key not in seen:
                seen.add(key)
                found.append((channel, address, user))
    return found


def _phone_of(user: User) -> str:
    for profile in ("citizen", "business"):
        if hasattr(user, profile):
            phone: str = getattr(user, profile).phone
            return phone
    return ""


def language_for(user: User | None) -> str:
    # TODO: a language preference on the citizen's profile; until accounts has one, everyone is
    # written to in Vietnamese, the language of the administration.
    return Language.VIETNAMESE


def tracking_url(code: str) -> str:
    base = getattr(settings, "MOTCUA_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL
    return f"{base.rstrip('/')}/api/v1/track/{quote(code)}"


def message_context(event: DossierEvent, dossier: Dossier, *, language: str) -> dict[str, Any]:
    payload = event.payload or {}
    centre = dossier.receiving_agency
    acting = Agency.objects.filter(code=event.agency_code).first() or centre
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "applicant": dossier.applicant_name,
        "online": dossier.channel == DossierChannel.ONLINE,
        "centre": _agency_name(centre, language),
        "centre_address": centre.address,
        "agency": _agency_name(acting, language),
        "at": local_time(event.at),
        "due": local_time(payload.get("due_at")),
        "items": [str(item) for item in payload.get("items", [])],
        "reason": str(payload.get("reason", "")),
        "previous_due": local_time(payload.get("previous_due")),
        "new_due": local_time(payload.get("new_due")),
        "result": str(payload.get("result", "")),
        "delivery": str(payload.get("delivery") or dossier.delivery_method),
        "tracking_url": tracking_url(dossier.code),
    }


def _agency_name(agency: Agency, language: str) -> str:
    if language == Language.ENGLISH and agency.name_en:
        return agency.name_en
    return agency.name
