"""Public pages about dossiers, for anyone without signing in (/tra-cuu/)."""

from django.urls import URLPattern

app_name = "tracking"

urlpatterns: list[URLPattern] = []
