from django.urls import path

from revans.calls import views

app_name = "calls"
urlpatterns = [
    path("sets/<int:set_id>/", views.set_calls, name="set_calls"),
    path(
        "sets/<int:set_id>/members/<int:membership_id>/arrange/",
        views.arrange,
        name="arrange",
    ),
    path("<int:call_id>/", views.detail, name="detail"),
    path("<int:call_id>/pick/", views.pick, name="pick"),
    path("<int:call_id>/status/", views.status, name="status"),
    path("<int:call_id>/notes/", views.add_note, name="add_note"),
    path("<int:call_id>/notes/<int:note_id>/sharing/", views.note_sharing, name="note_sharing"),
]
