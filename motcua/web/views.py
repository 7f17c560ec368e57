"""Pages of the web shell: home, sign-in/out, the health probe and the error pages."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.accounts.backends import PENDING_CONFIRMATION
from motcua.web.forms import SignInForm

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        """The form again; 429 with Retry-After while the login throttle refuses attempts."""
        if form.unconfirmed_user_id is not None:
            # The right password: the confirmation page may ask this account for its code.
            self.request.session[PENDING_CONFIRMATION] = form.unconfirmed_user_id
        response = super().form_invalid(form)
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class SignOutView(auth_views.LogoutView):
    """Sign out by POST only (Django's LogoutView refuses GET), then say so on the next page."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        # At a kiosk the screen goes back to the kiosk's home for the next person
        # (centres.kiosk); signing out forgets the session, so read it first.
        kiosk = getattr(request, "kiosk", None)
        response = super().post(request, *args, **kwargs)
        if kiosk is not None:
            return redirect(kiosk.home_url)
        messages.success(request, gettext("You have signed out."))
        return response


def database_status(alias: str = DEFAULT_DB_ALIAS) -> str:
    """'ok' when the database behind `alias` answers a trivial query, else 'unavailable'."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:
        logger.warning("Health check: database %r is unavailable", alias, exc_info=True)
        return "unavailable"
    return "ok"


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for the load balancer: no session, no authentication."""
    database = database_status()
    healthy = database == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database},
        status=200 if healthy else 503,
    )


def _is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(request: HttpRequest, *, status: int, code: str, msg: str) -> JsonResponse:
    # The same shape as motcua.config.api's errors, so clients branch on `code` everywhere.
    return JsonResponse(
        {"result": "error", "code": code, "msg": msg, "path": request.path}, status=status
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api_request(request):
        return _api_error(
            request,
            status=404,
            code="NOT_FOUND",
            msg=gettext("There is no API endpoint at this address."),
        )
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page. Rendered without a request context on purpose.

    Context processors (the signed-in user, messages) read the session and therefore the
    database, which may be the very thing that failed. The template needs neither.
    """
    if _is_api_request(request):
        return _api_error(
            request,
            status=500,
            code="SERVER_ERROR",
            msg=gettext("An unexpected error occurred. Please try again later."),
        )
    return HttpResponse(loader.render_to_string("web/500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A friendly page for a rejected form (expired page, cookies blocked), instead of Django's.

    Enabled by CSRF_FAILURE_VIEW = "motcua.web.views.csrf_failure" in the settings.
    """
    return render(request, "web/403_csrf.html", status=403)
