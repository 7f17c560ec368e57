"""Kiosk mode: a shared touch screen at a service centre (/kiosk/<centre>/).

Anyone walks up, looks up a procedure, tracks a dossier, signs in to submit one or takes a
queue number, then walks away. The next person must find nothing of the last one, so a kiosk
session forgets itself: with JavaScript, after MOTCUA_KIOSK_IDLE_SECONDS without input the page
posts to the end action (`end`); without JavaScript, the session expires on the server after
the same idle time (KioskSessionMiddleware sets its expiry on every request) and every page
carries a meta refresh back to the kiosk home a little later. The kiosk pages reuse the public
pages (catalogue search, /tra-cuu/, sign-in, queue tablet): the kiosk only marks the session,
and web/base.html shows the kiosk bar (home, "Kết thúc") on any page of a kiosk session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from motcua.centres import queries
from motcua.centres.errors import CentreNotFoundError
from motcua.dossiers.views.public import LookupForm
from motcua.units.models import Agency

# The session key marking a kiosk session; its value is the centre's code.
SESSION_KEY = "motcua_kiosk_centre"
# Without JavaScript the page goes home this many seconds after the server forgot the session.
REFRESH_MARGIN_SECONDS = 30


@dataclass(frozen=True)
class KioskMode:
    """What every page of a kiosk session needs: where home is, and how long idle lasts."""

    centre_code: str
    idle_seconds: int

    @property
    def home_url(self) -> str:
        return reverse("kiosk:home", kwargs={"code": self.centre_code})

    @property
    def end_url(self) -> str:
        return reverse("kiosk:end", kwargs={"code": self.centre_code})

    @property
    def refresh_seconds(self) -> int:
        return self.idle_seconds + REFRESH_MARGIN_SECONDS


class KioskSessionMiddleware:
    """In a kiosk session, sets `request.kiosk` and makes the session expire after the idle
    time counted from this request: the server-side guarantee that holds without JavaScript
    and even if the browser is closed. Other sessions get `request.kiosk = None`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.session.get(SESSION_KEY)
        request.kiosk = None  # type: ignore[attr-defined]
        if isinstance(code, str):
            idle = settings.MOTCUA_KIOSK_IDLE_SECONDS
            request.session.set_expiry(idle)
            request.kiosk = KioskMode(code, idle)  # type: ignore[attr-defined]
        return self.get_response(request)


def _centre(code: str) -> Agency:
    try:
        return queries.get_centre(code)
    except CentreNotFoundError:
        raise Http404(code) from None


def _start(request: HttpRequest, centre: Agency) -> None:
    request.session[SESSION_KEY] = centre.code
    request.session.set_expiry(settings.MOTCUA_KIOSK_IDLE_SECONDS)
    request.kiosk = KioskMode(centre.code, settings.MOTCUA_KIOSK_IDLE_SECONDS)  # type: ignore[attr-defined]


@never_cache
@require_safe
def home(request: HttpRequest, code: str) -> HttpResponse:
    """The four choices, in large buttons; opening it marks this browser's session as a kiosk's."""
    centre = _centre(code)
    _start(request, centre)
    return render(
        request,
        "centres/kiosk/home.html",
        {"centre": centre, "lookup_form": LookupForm(auto_id="kiosk-%s")},
    )


@require_POST
def end(request: HttpRequest, code: str) -> HttpResponse:
    """The "Kết thúc" button, or idle: sign out, forget the whole session, back home."""
    centre = _centre(code)
    logout(request)  # flushes the session: the next visitor starts from nothing
    return redirect("kiosk:home", code=centre.code)
