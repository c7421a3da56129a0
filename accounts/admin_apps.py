"""The admin app on accounts.admin_site.VerifiedAdminSite (apart: INSTALLED_APPS imports
this module before any model can be)."""

from django.contrib.admin.apps import AdminConfig


class VerifiedAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.VerifiedAdminSite"
