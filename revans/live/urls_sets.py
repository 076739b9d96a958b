from django.urls import path

from revans.live import views_round_times

app_name = "round_times"
urlpatterns = [
    path("<int:set_id>/rounds/", views_round_times.round_times_page, name="edit"),
]
