from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "revans.calls"
    label = "calls"
