from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    """PAdES signing and validation (signatures/signing.py, signatures/validation.py)."""

    name = "signatures"
    verbose_name = _("Digital signatures")
