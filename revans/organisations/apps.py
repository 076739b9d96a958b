from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "revans.organisations"
    label = "organisations"
