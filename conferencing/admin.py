from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conferencing.models import Bridge, Endpoint


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
    list_display = ["name", "dial_in", "port_capacity", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "dial_in"]
