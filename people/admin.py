from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

from people.models import ApiToken, DirectoryRule


@admin.register(DirectoryRule)
class DirectoryRuleAdmin(admin.ModelAdmin):
    list_display = ["group", "source", "role", "office"]
    list_filter = ["source", "role"]
    search_fields = ["group"]
    autocomplete_fields = ["office"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: a token is made where it can be shown once (the profile page, the API,
    a service account's page) and revoked where the revocation is audited (the same
    pages: people.api_tokens.revoke); the admin only finds and shows them."""

    list_display = ["name", "user", "prefix", "scope", "office", "expires_at", "last_used_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user", "office"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# rest_framework.authtoken stays installed for its migrations, but its keys no longer
# authenticate anyone (people 0004 carried them over): no admin page making them.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
