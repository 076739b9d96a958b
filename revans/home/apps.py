from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "revans.home"
    label = "home"
