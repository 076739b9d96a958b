from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "revans.live"
    label = "live"

    def ready(self):
        from revans.live.broadcast import recheck_set_meetings
        from revans.sets.signals import set_people_changed

        set_people_changed.connect(recheck_set_meetings, dispatch_uid="live-recheck")
