from django.apps import AppConfig


class ResidentRequestsConfig(AppConfig):
    name = "resident_requests"
    verbose_name = "Requests and swaps"
