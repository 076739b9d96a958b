from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "revans.accounts"
    label = "accounts"
