from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conferencing.models import Bridge, Endpoint, Office


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["tree_name", "code", "level", "parent", "organisation", "is_active"]
    list_filter = ["level", "is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "organisation", "dial_string"]
    autocomplete_fields = ["parent", "technicians"]
    list_select_related = ["parent"]
    ordering = ["path"]
    list_per_page = 100

    @admin.display(description=_("site (tree)"), ordering="path")
    def tree_name(self, endpoint: Endpoint) -> str:
        return format_html(
            '<span class="tree-indent" style="padding-left:{}em">{}</span>',
            endpoint.depth * 1.5,
            endpoint.name,
        )


@admin.register(Bridge)
class BridgeAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "dial_in", "port_capacity", "is_active"]
    list_filter = ["is_active", ("owner", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "dial_in"]
    autocomplete_fields = ["owner", "shared_with"]
    list_select_related = ["owner"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "jurisdiction", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["jurisdiction", "members"]
    list_select_related = ["jurisdiction"]
