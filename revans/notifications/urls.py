from django.urls import path

from revans.notifications import views

app_name = "notifications"
urlpatterns = [
    path("account/emails/", views.email_choices, name="email_choices"),
    path("account/calendar/new/", views.calendar_create, name="calendar_create"),
    path("account/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("orgs/<slug:slug>/emails/", views.org_emails, name="org_emails"),
    path(
        "orgs/<slug:slug>/emails/<int:email_id>/retry/",
        views.org_email_retry,
        name="org_email_retry",
    ),
    path("sets/<int:set_id>/reminders/", views.set_reminders, name="set_reminders"),
]
