from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "revans.reports"
    label = "reports"
