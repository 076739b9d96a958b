from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "revans.live"
    label = "live"
