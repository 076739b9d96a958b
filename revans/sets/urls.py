app_name = "sets"
urlpatterns: list = []
