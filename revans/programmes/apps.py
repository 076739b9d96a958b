from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "revans.programmes"
    label = "programmes"
