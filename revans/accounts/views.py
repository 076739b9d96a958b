"""Views: parse input, call access_* and actions, render. No business rules here."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

sign_in = auth_views.LoginView.as_view(template_name="accounts/sign_in.html")


@require_POST
def sign_out(request):
    return auth_views.LogoutView.as_view()(request)


@login_required
def account(request):
    return render(request, "home/home.html", {})
