from django.urls import path

from revans.organisations import views

app_name = "organisations"
urlpatterns: list = []
