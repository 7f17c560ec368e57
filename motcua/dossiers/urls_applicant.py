"""The signed-in applicant's pages (/ho-so/): submitting online and following one's dossiers."""

from django.urls import URLPattern

app_name = "applicant"

urlpatterns: list[URLPattern] = []
