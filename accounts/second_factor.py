"""The second factor after the password (django-otp): an authenticator app's six-digit code
(TOTP), or one of ten one-time recovery codes.

Who must pass it: secretariat staff and superusers, while SECOND_FACTOR_REQUIRED is on
(they can cancel a national session); anyone else who enrolled of their own accord.
Until the session has passed it, such a person reaches only the enrol, verify and
sign-out pages (accounts.second_factor_middleware), the admin refuses them
(accounts.admin_site), the API and the readiness sockets take them for anonymous.

The secret of a new authenticator lives in the enrolling session only until a code made
from it is typed back: no device is saved that its owner has not proved to hold.
Wrong codes are throttled by django-otp (the next try waits 1 s, then 2, 4 … per device)
and audited; so are enrolment and every use of a recovery code.
"""

import time
from base64 import b32encode, b64encode
from binascii import unhexlify
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_otp.qr import write_qrcode_image

from accounts.roles import is_secretariat
from audit import trail

RECOVERY_CODE_COUNT = 10
# Set in the session at sign-in for a person who enrolled without having to: from then
# on they too pass the second factor before anything else (read without a query).
ENROLLED_SESSION_KEY = "second_factor_enrolled"
# The secret of an authenticator being enrolled, until a code made from it confirms it.
PENDING_KEY_SESSION_KEY = "second_factor_pending_key"
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"

User = AbstractBaseUser | AnonymousUser


def required_for(user: User) -> bool:
    """Must this person pass the second factor whether or not they enrolled?"""
    return bool(
        settings.SECOND_FACTOR_REQUIRED
        and user.is_authenticated
        and (user.is_superuser or is_secretariat(user))
    )


def asked_of(user: User, session: Any) -> bool:
    """Is the second factor asked of this signed-in session (verified or not)?"""
    return required_for(user) or bool(session.get(ENROLLED_SESSION_KEY))


def has_device(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mark_enrolled_at_sign_in(
    sender: Any, request: Any, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """Receiver of `user_logged_in`: a person with an authenticator is asked for it."""
    if request is not None and hasattr(request, "session") and has_device(user):
        request.session[ENROLLED_SESSION_KEY] = True


def session_passes(user: User, session: Any) -> bool:
    """For the sockets, which have no OTPMiddleware: may this session act, as far as the
    second factor goes? A user not signed in by this session (an API token on the
    socket) is not the session's to judge: tokens do not take a second factor."""
    if not user.is_authenticated:
        return True
    if str(session.get(SESSION_KEY)) != str(user.pk):
        return True
    if not asked_of(user, session):
        return True
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(str(persistent_id))
    return device is not None and device.user_id == user.pk and device.confirmed


# -- Enrolment ---------------------------------------------------------------------------------


def new_secret() -> str:
    """A fresh secret (hex, 20 bytes), as django-otp makes them."""
    return default_key()


def unsaved_device(user: AbstractBaseUser, key: str) -> TOTPDevice:
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=True)


def qr_image(user: AbstractBaseUser, key: str) -> str:
    """The otpauth:// URL of the secret as an SVG QR code, in a data: URL for an <img>.

    Not pasted into the page's HTML: django-otp writes it with `svg:`-prefixed elements,
    which only an XML parser (an image) draws; the HTML parser shows nothing."""
    out = BytesIO()
    write_qrcode_image(unsaved_device(user, key).config_url, out)
    return "data:image/svg+xml;base64," + b64encode(out.getvalue()).decode("ascii")


def manual_secret(key: str) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _code_at(key: str, when: float) -> tuple[int, int]:
    """The TOTP step and code of this secret at a time (the device's defaults)."""
    device = TOTPDevice(key=key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = when
    return totp.t(), totp.token()


def _matching_step(key: str, code: str) -> int | None:
    """The time step (now, or one either side for a slow clock) whose code this is."""
    if not (code.isdigit() and len(code) == 6):
        return None
    now = time.time()
    for offset in (0, -30, 30):
        step, expected = _code_at(key, now + offset)
        if int(code) == expected:
            return step
    return None


def enrol(
    user: AbstractBaseUser, key: str, code: str, address: str | None
) -> tuple[TOTPDevice, list[str]] | None:
    """Save the authenticator whose secret is `key` if `code` was made from it, replacing
    any earlier one, with ten new recovery codes; None if the code is not right.

    Side effects: `second_factor.enrolled` in the audit trail (or
    `second_factor.enrolment_failed`); the earlier authenticator and codes are deleted.
    """
    step = _matching_step(key, normalise(code))
    with transaction.atomic():
        if step is None:
            trail.record(user, "second_factor.enrolment_failed", user, {"ip_address": address})
            return None
        TOTPDevice.objects.filter(user=user).delete()
        device = unsaved_device(user, key)
        # The code just typed is spent: it cannot verify a sign-in as well.
        device.last_t = step
        device.save()
        codes = _new_recovery_codes(user)
        trail.record(
            user,
            "second_factor.enrolled",
            user,
            {"ip_address": address, "recovery_codes": len(codes)},
        )
    return device, codes


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def regenerate_recovery_codes(user: AbstractBaseUser, address: str | None) -> list[str]:
    """Ten new recovery codes; the earlier ones stop working. Audited."""
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        trail.record(user, "second_factor.recovery_codes_renewed", user, {"ip_address": address})
    return codes


def remove(user: AbstractBaseUser, address: str | None) -> None:
    """Forget the authenticator and recovery codes of a person who need not have them."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        trail.record(user, "second_factor.removed", user, {"ip_address": address})


# -- Verification ------------------------------------------------------------------------------


def normalise(code: str) -> str:
    """What a person types, as the devices compare it: no spaces or dashes, lower case."""
    return "".join(code.split()).replace("-", "").lower()


@dataclass(frozen=True)
class Outcome:
    device: TOTPDevice | StaticDevice | None
    # The code was not even tried: django-otp throttles the device after wrong codes
    # (1 s, then 2, 4 …); this is when it answers again.
    wait_until: datetime | None = None
    recovery_codes_left: int | None = None


def verify(user: AbstractBaseUser, code: str, address: str | None) -> Outcome:
    """Check a code typed after the password: six digits against the authenticator,
    anything else against the recovery codes (each works once).

    Side effects: the device's throttling and last code (django-otp); in the audit trail
    `second_factor.failed` (with `throttled`), `second_factor.recovery_code_used` or
    `second_factor.verified`.
    """
    code = normalise(code)
    model: type[TOTPDevice] | type[StaticDevice] = (
        TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    )
    method = "authenticator" if model is TOTPDevice else "recovery_code"
    device = model.objects.filter(user=user, confirmed=True).order_by("pk").first()
    with transaction.atomic():
        if device is None:
            trail.record(
                user,
                "second_factor.failed",
                user,
                {"ip_address": address, "method": method, "throttled": False},
            )
            return Outcome(None)
        allowed, detail = device.verify_is_allowed()
        verified = otp_verify_token(user, device.persistent_id, code) if allowed and code else None
        if verified is None:
            wait_until = None
            if not allowed:
                wait_until = (detail or {}).get("locked_until")
            trail.record(
                user,
                "second_factor.failed",
                user,
                {
                    "ip_address": address,
                    "method": method,
                    "throttled": not allowed,
                },
            )
            return Outcome(None, wait_until=wait_until)
        if model is StaticDevice:
            left = recovery_codes_left(user)
            trail.record(
                user,
                "second_factor.recovery_code_used",
                user,
                {"ip_address": address, "recovery_codes_left": left},
            )
            return Outcome(verified, recovery_codes_left=left)
        trail.record(user, "second_factor.verified", user, {"ip_address": address})
        return Outcome(verified)


def seconds_to_wait(outcome: Outcome) -> int:
    if outcome.wait_until is None:
        return 0
    return max(1, int((outcome.wait_until - timezone.now()).total_seconds() + 0.999))
