"""The client address the rate limits count: X-Forwarded-For only from a trusted proxy, read from
the right, so a client can neither hide behind the proxy's address nor pick its own."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from motcua.dossiers.models import Dossier
from motcua.web.clients import client_address, parse_networks
from motcua.web.models import RateCounter

PROXIES = "10.0.0.0/8, 2001:db8::/32, 192.0.2.1"


def address(settings: Settings, peer: str, forwarded: str | None = None) -> str:
    settings.MOTCUA_TRUSTED_PROXIES = parse_networks(PROXIES, setting="test")
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=peer, **extra))


def test_the_header_is_believed_only_from_a_trusted_proxy(settings: Settings) -> None:
    # From a trusted proxy: the address it appended.
    assert address(settings, "10.1.2.3", "198.51.100.7") == "198.51.100.7"
    # A client's own X-Forwarded-For, sent straight to us, is ignored.
    assert address(settings, "198.51.100.7", "203.0.113.5") == "198.51.100.7"
    # Whatever a client wrote on the left is ignored: the rightmost untrusted hop counts.
    assert address(settings, "10.1.2.3", "1.2.3.4, 198.51.100.7") == "198.51.100.7"
    # Two proxies deep (192.0.2.1 in front of 10.1.2.3).
    assert address(settings, "10.1.2.3", "1.2.3.4, 198.51.100.7, 192.0.2.1") == "198.51.100.7"
    # IPv6, and an address with a port.
    assert address(settings, "2001:db8::1", "2001:db9::7") == "2001:db9::7"
    assert address(settings, "10.1.2.3", "198.51.100.7:51234") == "198.51.100.7"
    # No header, or garbage where the proxy's entry should be: the peer, never the garbage.
    assert address(settings, "10.1.2.3") == "10.1.2.3"
    assert address(settings, "10.1.2.3", "not-an-address") == "10.1.2.3"
    # Nothing trusted (the default): the header never counts.
    settings.MOTCUA_TRUSTED_PROXIES = ()
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.1.2.3"


def test_a_malformed_proxy_list_stops_the_server() -> None:
    assert parse_networks(" 10.0.0.0/8 ,,::1", setting="X") == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1"),
    )
    with pytest.raises(ImproperlyConfigured, match=r"10\.0\.0\.0/33"):
        parse_networks("10.0.0.0/33", setting="MOTCUA_TRUSTED_PROXIES")


@pytest.mark.django_db
def test_behind_a_proxy_each_citizen_has_their_own_tracking_budget(
    settings: Settings, submitted: Callable[..., Dossier]
) -> None:
    settings.MOTCUA_TRACK_LIMIT = 1
    settings.MOTCUA_TRUSTED_PROXIES = parse_networks("10.0.0.5", setting="test")
    code = submitted(with_documents=False).code
    proxy = Client(REMOTE_ADDR="10.0.0.5")

    def look_up(citizen: str) -> int:
        url = f"/api/v1/track/{code}"
        return proxy.get(url, {"id_last4": "1234"}, HTTP_X_FORWARDED_FOR=citizen).status_code

    assert [look_up("198.51.100.7"), look_up("198.51.100.8")] == [200, 200]
    assert look_up("198.51.100.7") == 429
    assert sorted(RateCounter.objects.values_list("key", flat=True)) == [
        "track:198.51.100.7",
        "track:198.51.100.8",
    ]
