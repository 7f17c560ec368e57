"""Delivery failures raised by the email and SMS senders.

They never reach an HTTP response: `tasks.send_message` records them on the notification (as
`last_error`) and decides between a retry and giving up.
"""

from __future__ import annotations


class DeliveryError(Exception):
    """The message was not accepted this time; trying again later may work."""


class PermanentDeliveryError(DeliveryError):
    """The message can never be delivered as it is (a refused address, a malformed number):
    retrying would only repeat the refusal, so the notification fails at once."""
