from django.urls import path

from revans.live import views

app_name = "live"
urlpatterns = [
    path("<int:meeting_id>/live/", views.room, name="room"),
    path("<int:meeting_id>/live/screen/", views.projector, name="projector"),
    path("<int:meeting_id>/summary/", views.summary, name="summary"),
]
