"""integrations.addresses: which URLs receive webhooks (https, no private networks: SSRF)."""

import pytest
from django.test import override_settings

from integrations.addresses import RefusedAddress, check_url, is_internal


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.1.10", True),
        ("169.254.169.254", True),  # a cloud's metadata service
        ("::1", True),
        ("::ffff:10.0.0.1", True),
        ("fd00::1", True),
        ("224.0.0.1", True),
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
    ],
)
def test_internal_addresses(address, internal):
    assert is_internal(address) is internal


@override_settings(WEBHOOKS_ALLOW_HTTP=False, WEBHOOKS_ALLOW_PRIVATE_NETWORKS=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://8.8.8.8/hooks",  # plain http
        "https://127.0.0.1/hooks",
        "https://[::1]/hooks",
        "https://10.0.0.5:8443/hooks",
        "https://user:pw@8.8.8.8/hooks",
        "https:///hooks",
    ],
)
def test_refused_in_production(url):
    with pytest.raises(RefusedAddress):
        check_url(url)


@override_settings(WEBHOOKS_ALLOW_HTTP=False, WEBHOOKS_ALLOW_PRIVATE_NETWORKS=False)
def test_a_public_https_address_is_accepted():
    check_url("https://8.8.8.8/hooks")


@override_settings(WEBHOOKS_ALLOW_HTTP=True, WEBHOOKS_ALLOW_PRIVATE_NETWORKS=True)
def test_loopback_over_http_where_the_settings_allow_it():
    check_url("http://127.0.0.1:8080/hooks")
