from django.urls import include, path

urlpatterns = [
    path("", include("revans.home.urls")),
    path("", include("revans.accounts.urls")),
    path(
        "orgs/<slug:slug>/sponsors/<int:sponsor_id>/programme/",
        include("revans.programmes.urls"),
    ),
    path("orgs/", include("revans.organisations.urls")),
    # Before the sets include: the set's board of commitments lives under /sets/<id>/ too.
    path("", include("revans.commitments.urls")),
    path("", include("revans.reports.urls")),
    # Before the sets include: the set's round times (its live agenda) live under /sets/<id>/.
    path("sets/", include("revans.live.urls_sets")),
    path("sets/", include("revans.sets.urls")),
    # Before the meetings include: the live pages live under /meetings/<id>/ too.
    path("meetings/", include("revans.live.urls")),
    path("meetings/", include("revans.meetings.urls")),
    path("calls/", include("revans.calls.urls")),
    path("journal/", include("revans.journal.urls")),
    path("", include("revans.notifications.urls")),
    path("", include("revans.core.urls")),
]
