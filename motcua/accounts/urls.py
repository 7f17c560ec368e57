"""Account pages for citizens and businesses (/tai-khoan/): sign-up, confirmation, claims."""

from django.urls import URLPattern

app_name = "accounts"

urlpatterns: list[URLPattern] = []
