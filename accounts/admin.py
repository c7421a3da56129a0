"""Axes' list of failed attempts, where the superuser unlocks by deleting; audited."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.http import HttpRequest

from accounts.sign_in import unlock_attempts


class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        unlock_attempts(request.user, [obj])

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        unlock_attempts(request.user, list(queryset))


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AuditedAccessAttemptAdmin)
