"""Codes as an authenticator app on the person's phone would show them (django-otp's TOTP)."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code of the device's secret now (or `steps_ahead` 30-second steps later:
    a code already used cannot sign in again, the next step's still can)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def code_of_secret(hex_key: str, steps_ahead: int = 0) -> str:
    return code_for(TOTPDevice(key=hex_key), steps_ahead)


def code_of_base32(secret: str, steps_ahead: int = 0) -> str:
    """From the key as the enrol page shows it for typing by hand."""
    from base64 import b32decode

    text = secret.replace(" ", "")
    raw = b32decode(text + "=" * (-len(text) % 8))
    return code_of_secret(raw.hex(), steps_ahead)
