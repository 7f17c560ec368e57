"""Kiosk mode at a service centre (/kiosk/<centre>/); see centres/kiosk.py."""

from django.urls import URLPattern, path

from motcua.centres import kiosk

app_name = "kiosk"

urlpatterns: list[URLPattern] = [
    path("<str:code>/", kiosk.home, name="home"),
    path("<str:code>/ket-thuc/", kiosk.end, name="end"),
]
