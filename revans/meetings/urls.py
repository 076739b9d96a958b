from django.urls import path

from revans.meetings import views

app_name = "meetings"
urlpatterns: list = []
