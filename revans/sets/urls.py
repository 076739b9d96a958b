from django.urls import path

from revans.sets import views

app_name = "sets"
urlpatterns: list = []
