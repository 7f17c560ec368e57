"""The real URLs plus two views that fail, to exercise the 500 handler end to end."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


class DeliberateError(Exception):
    pass


def fail(request: HttpRequest) -> HttpResponse:
    raise DeliberateError


urlpatterns = [
    path("hong/", fail),
    path("api/v1/hong/", fail),
    path("", include("motcua.config.urls")),
]

handler404 = "motcua.web.views.page_not_found"
handler500 = "motcua.web.views.server_error"
