"""The project's own app configuration: the admin with its operator-only site."""

from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    default_site = "residency.admin.OperatorAdminSite"
