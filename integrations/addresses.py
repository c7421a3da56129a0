"""Which webhook URLs Giao Ban sends to: https (http only where a setting allows it), and
never an address inside the data centre (SSRF) unless a setting allows private networks.

Checked when a URL is given and again before every attempt (its name may resolve
elsewhere by then); the connection itself goes to the address checked here.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class RefusedAddress(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_url(url: str) -> None:
    """RefusedAddress unless the URL may receive webhooks now (this resolves its host)."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOKS_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        raise RefusedAddress(_("A webhook URL must start with https://."))
    if not parts.hostname:
        raise RefusedAddress(_("A webhook URL needs a host."))
    if parts.username or parts.password:
        raise RefusedAddress(_("A webhook URL may not carry a user name or password."))
    resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


def resolve(host: str, port: int) -> str:
    """The first address of the host that may be reached; RefusedAddress if it does not
    resolve, or if any of its addresses is private while private networks are refused
    (a name with one public and one private address could be steered to the latter)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RefusedAddress(_("The host of this URL cannot be found.")) from None
    addresses = [info[4][0] for info in found]
    if not settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS and any(map(is_internal, addresses)):
        raise RefusedAddress(_("A webhook URL may not point into a private network."))
    return addresses[0]


def is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast
