from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "revans.calls"
    label = "calls"

    def ready(self) -> None:
        # Reminders and the calendar feed read calls through these (no notes, ever).
        from revans.calls import reminders
        from revans.notifications import hooks

        hooks.momentum_call_reminder = reminders.call_for_reminder
        hooks.momentum_call_entries = reminders.calendar_entries
