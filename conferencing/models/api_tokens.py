from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenOffice(models.Model):
    """The office an API token (rest_framework.authtoken) acts for, chosen when it was
    made (conferencing.api_tokens). A token without one acts for no office."""

    token = models.OneToOneField(
        "authtoken.Token",
        verbose_name=_("API token"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="office_binding",
    )
    office = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token's office")
        verbose_name_plural = _("API tokens' offices")

    def __str__(self) -> str:
        return f"{self.token_id} → {self.office_id}"
