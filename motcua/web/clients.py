"""Who is asking: the client's address, as the rate limits count it.

Behind a reverse proxy every request comes from the proxy, so counting REMOTE_ADDR would put
every citizen in one budget. The proxy names the real client in X-Forwarded-For, but so can any
client, and a client that could choose its address would get a fresh budget per request. So the
header is read only when the direct peer is a trusted proxy (settings.MOTCUA_TRUSTED_PROXIES),
and from the right: each proxy appends the address it saw, so the rightmost entry that is not a
trusted proxy is the first address no trusted party can have been told by the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(value: str, *, setting: str) -> tuple[Network, ...]:
    """'10.0.0.0/8, 192.0.2.1, 2001:db8::/32' -> networks. ImproperlyConfigured if malformed:
    a mistyped proxy list must stop the server, not silently trust nobody (or everybody)."""
    networks = []
    for item in value.split(","):
        text = item.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{setting}: {text!r} is not an IP address or a CIDR network."
            ) from None
    return tuple(networks)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "198.51.100.7:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, proxies: Sequence[Network]) -> bool:
    return any(address in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The address to count this request under (rate limits); see the module's docstring."""
    peer_text = str(request.META.get("REMOTE_ADDR") or "")
    peer = _address(peer_text)
    if peer is None:
        return peer_text or "unknown"
    proxies: Sequence[Network] = settings.MOTCUA_TRUSTED_PROXIES
    if not proxies or not _trusted(peer, proxies):
        return str(peer)
    hops = str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Not an address: a trusted proxy never writes that, so it came from the client,
            # and the last trusted hop's peer is the best we know.
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)
