from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` a principal sent with a POST that creates, and the answer it
    got (httpapi/idempotency.py). A row without a status is a request still running.

    The principal is plain ids, not foreign keys: this bottom-layer app knows no project
    model, and a row outlives nothing by more than a day (RETENTION)."""

    user_id = models.BigIntegerField(_("user"))
    # 0 for a browser session: a nullable column would make NULLs distinct in the
    # unique constraint, and two session requests with one key could both run.
    token_id = models.BigIntegerField(_("API token"), default=0)
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.TextField(_("path"))
    request_sha256 = models.CharField(_("SHA-256 of the request"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True)
    body = models.BinaryField(_("body"), default=b"")
    headers = models.JSONField(_("headers"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "token_id", "key"], name="httpapi_one_record_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.token_id}: {self.key}"
