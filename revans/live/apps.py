from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "revans.live"
    label = "live"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from revans.accounts.signals import password_changed
        from revans.live.broadcast import password_changed as leave_ended_sessions
        from revans.live.broadcast import recheck_set_meetings, signed_out
        from revans.sets.signals import set_people_changed

        set_people_changed.connect(recheck_set_meetings, dispatch_uid="live-recheck")
        user_logged_out.connect(signed_out, dispatch_uid="live-signed-out")
        password_changed.connect(leave_ended_sessions, dispatch_uid="live-password-changed")
