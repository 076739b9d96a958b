from django.urls import include, path

urlpatterns = [
    path("", include("revans.home.urls")),
    path("", include("revans.accounts.urls")),
    path("orgs/", include("revans.organisations.urls")),
    path("sets/", include("revans.sets.urls")),
    # Before the meetings include: the live pages live under /meetings/<id>/ too.
    path("meetings/", include("revans.live.urls")),
    path("meetings/", include("revans.meetings.urls")),
    path("", include("revans.notifications.urls")),
    path("", include("revans.core.urls")),
]
