from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "revans.commitments"
    label = "commitments"

    def ready(self) -> None:
        # The "commitments due" reminder counts commitments; it never quotes them.
        from revans.commitments import reminders
        from revans.notifications import hooks

        hooks.commitments_due = reminders.due_counts_for_meeting

        # Commitments due at a meeting fall due on its new day when it moves.
        from revans.commitments.actions import follow_moved_meeting
        from revans.meetings.signals import meeting_moved

        meeting_moved.connect(follow_moved_meeting, dispatch_uid="commitments.follow_moved_meeting")
