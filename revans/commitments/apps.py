from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "revans.commitments"
    label = "commitments"

    def ready(self) -> None:
        # The "commitments due" reminder counts commitments; it never quotes them.
        from revans.commitments import reminders
        from revans.notifications import hooks

        hooks.commitments_due = reminders.due_counts_for_meeting
