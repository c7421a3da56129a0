"""What a codec can be dialled at: a SIP URI, an H.323 alias or a bare IP address."""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SIP_URI = re.compile(r"^sips?:[A-Za-z0-9._~%+-]+(:[^@\s]*)?@[A-Za-z0-9.-]+(:\d{1,5})?(;[^\s]*)?$")
H323_ALIAS = re.compile(r"^h323:[A-Za-z0-9._#*@+-]{1,64}$")


def is_dial_string(value: str) -> bool:
    value = value.strip()
    if SIP_URI.match(value) or H323_ALIAS.match(value):
        return True
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def validate_dial_string(value: str) -> None:
    if value and not is_dial_string(value):
        raise ValidationError(
            _(
                "Enter a SIP URI (sip:room@example.vn), an H.323 alias (h323:alias) "
                "or an IP address."
            ),
            code="invalid_dial_string",
        )
