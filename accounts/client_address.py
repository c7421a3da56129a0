"""The address sign-in lockout counts a guess against (AXES_CLIENT_IP_CALLABLE).

The client's IP as django-axes itself resolves it (django-ipware, with the AXES_IPWARE_*
settings), except that an IPv6 address stands for its /64: one subscriber or one office
network holds 2^64 addresses, and counting each apart would let a guesser move to a
fresh one every few tries and never be locked out. The /64 is written as its first
address, so it fits axes' IP address column.
"""

from ipaddress import IPv6Address, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip

IPV6_NETWORK_PREFIX = 64


def counted_address(address: str | None) -> str | None:
    """`address` as the lockout counts it: IPv4 as is, IPv6 as the first address of its /64."""
    if not address:
        return address
    parsed = ip_address(address)
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped is None:
        network = ip_network(f"{parsed}/{IPV6_NETWORK_PREFIX}", strict=False)
        return str(network.network_address)
    return address


def lockout_address(request: HttpRequest) -> str | None:
    address, _routable = get_client_ip(
        request,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        proxy_trusted_ips=settings.AXES_IPWARE_PROXY_TRUSTED_IPS,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return counted_address(address)
