from django.apps import AppConfig


class SetsConfig(AppConfig):
    name = "revans.sets"
    label = "sets"
