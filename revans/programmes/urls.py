from django.urls import path

from revans.programmes import views

# Mounted under /orgs/<slug>/sponsors/<sponsor_id>/programme/ (see revans/urls.py).
app_name = "programmes"
urlpatterns = [
    path("", views.report, name="report"),
    path("figures.csv", views.report_csv, name="csv"),
    path("report.pdf", views.report_pdf, name="pdf"),
    path("terms/", views.terms, name="terms"),
]
