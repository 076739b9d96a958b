from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "revans.journal"
    label = "journal"
