from django.contrib import admin

from people.models import DirectoryRule


@admin.register(DirectoryRule)
class DirectoryRuleAdmin(admin.ModelAdmin):
    list_display = ["group", "source", "role", "office"]
    list_filter = ["source", "role"]
    search_fields = ["group"]
    autocomplete_fields = ["office"]
