from django.urls import path

from revans.meetings import views

app_name = "meetings"
urlpatterns = [
    path("sets/<int:set_id>/generate/", views.generate, name="generate"),
    path("sets/<int:set_id>/add/", views.add, name="add"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/edit/", views.edit, name="edit"),
    path("<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("<int:meeting_id>/rsvp/", views.rsvp, name="rsvp"),
    path("<int:meeting_id>/attendance/", views.attendance, name="attendance"),
]
