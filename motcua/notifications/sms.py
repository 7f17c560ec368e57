"""SMS gateways: one small interface, chosen by `settings.MOTCUA_SMS_GATEWAY` (a dotted path).

A production gateway wraps a provider's HTTP API (Viettel, VNPT, a brand-name SMS reseller) and
passes `idempotency_key` on to it where the provider supports one, so that a send repeated
after a crash is recognised by the provider instead of reaching the phone twice.
"""

from __future__ import annotations

import json
import logging
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.notifications.errors import DeliveryError

logger = logging.getLogger(__name__)


class SmsGateway(ABC):
    @abstractmethod
    def send(self, to: str, text: str, idempotency_key: str) -> str:
        """Hand one message to the provider and return the provider's id for it.

        Raises DeliveryError when the provider did not take the message (it is retried later)
        and PermanentDeliveryError when it never will (the notification fails at once).
        """


def get_sms_gateway() -> SmsGateway:
    gateway_class = import_string(settings.MOTCUA_SMS_GATEWAY)
    gateway: SmsGateway = gateway_class()
    return gateway


class FileSmsGateway(SmsGateway):
    """Development: append each message as one JSON line to `settings.MOTCUA_SMS_OUTBOX`
    (var/sms-outbox.jsonl), where `tail -f` shows what a phone would have received."""

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        provider_id = f"file-{uuid.uuid4().hex}"
        record = {
            "id": provider_id,
            "to": to,
            "text": text,
            "idempotency_key": idempotency_key,
            "at": timezone.now().isoformat(),
        }
        path = settings.MOTCUA_SMS_OUTBOX
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as outbox:
            outbox.write(json.dumps(record, ensure_ascii=False) + "\n")
        # The number stays out of the log: it is personal data, and the file has it.
        logger.info("SMS %s written to %s", provider_id, path)
        return provider_id


@dataclass(frozen=True)
class SentSms:
    to: str
    text: str
    idempotency_key: str
    provider_id: str


class MemorySmsGateway(SmsGateway):
    """Tests: keeps every message in memory, and can be told to fail the next N sends.

    It does not deduplicate on the idempotency key, on purpose: a test that finds one message
    here proves MotCua sent it once, not that a provider hid a second copy.
    """

    outbox: ClassVar[list[SentSms]] = []
    attempts: ClassVar[list[str]] = []
    _failures: ClassVar[list[DeliveryError]] = []

    @classmethod
    def reset(cls) -> None:
        cls.outbox.clear()
        cls.attempts.clear()
        cls._failures.clear()

    @classmethod
    def fail_next(cls, times: int = 1, error: DeliveryError | None = None) -> None:
        cls._failures.extend([error or DeliveryError("gateway unavailable")] * times)

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        type(self).attempts.append(idempotency_key)
        if self._failures:
            raise self._failures.pop(0)
        provider_id = f"mem-{len(self.outbox) + 1}"
        self.outbox.append(SentSms(to, text, idempotency_key, provider_id))
        return provider_id
