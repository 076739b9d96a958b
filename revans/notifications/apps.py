from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "revans.notifications"
    label = "notifications"
