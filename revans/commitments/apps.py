from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "revans.commitments"
    label = "commitments"
