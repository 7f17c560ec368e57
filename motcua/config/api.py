"""The JSON API at /api/v1/: one NinjaAPI, one time format, one error shape, an OpenAPI 3 schema.

Every instant leaves the API in Vietnamese legal time (`2026-03-02T09:00:00+07:00`), whatever
the database or the engine handed over: the renderer converts each aware datetime, so no
endpoint converts its own. Inputs may carry any offset.

Every error, whatever raised it, answers `{"result": "error", "code": ..., "msg": ...}` with
the matching HTTP status; input errors add `errors: [{"field", "reason"}]`. Clients branch on
`code`. Bad parameters are 400 (not Ninja's 422), unknown objects 404, a method an address does
not answer 405, and nothing reaches the user as a 500 page for a malformed request. The OpenAPI
schema documents these error responses for every operation.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from motcua.common.errors import DomainError
from motcua.common.schemas import ErrorOut


class LegalTimeEncoder(NinjaJSONEncoder):
    """JSON for the API: aware datetimes in settings.LEGAL_TIME_ZONE, never in UTC.

    Instants are stored in UTC, but the law, the slips and the people reading them count in
    Vietnamese time; one place converts so that no two endpoints can disagree.
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime) and o.utcoffset() is not None:
            o = o.astimezone(ZoneInfo(settings.LEGAL_TIME_ZONE))
        return super().default(o)


class LegalTimeRenderer(JSONRenderer):
    encoder_class = LegalTimeEncoder


# What each documented error status means here; the body is always ErrorOut.
ERROR_STATUSES = {
    400: "Bad input: `errors` lists each refused field (code BAD_REQUEST or a domain code)",
    401: "Authentication required (UNAUTHENTICATED): a bearer token or a session",
    403: "Not allowed (FORBIDDEN), including a session request without its CSRF token",
    404: "No such object that you may see (NOT_FOUND)",
    409: "Not possible in the object's current state, or it changed meanwhile",
    413: "The request body is larger than the operation accepts (REQUEST_TOO_LARGE)",
    429: (
        "Too many look-ups from your address (TOO_MANY_REQUESTS) or failed logins "
        "(TOO_MANY_LOGIN_FAILURES): wait `retry_after` seconds, also in the Retry-After header"
    ),
}
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def _document_errors(schema: dict[str, Any]) -> None:
    """Give every operation the error responses it can answer, all with the ErrorOut body.

    400 wherever the operation takes input, 413 wherever it takes a body, 401 wherever it needs a
    login, 403 for the CSRF check of a session on unsafe methods; the other statuses come from
    the routes themselves (`error_responses`).
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in components:
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
    for path_item in schema["paths"].values():
        for method, operation in path_item.items():
            responses = {int(status): answer for status, answer in operation["responses"].items()}
            errors = {status for status in responses if status >= 400}
            if operation.get("parameters") or operation.get("requestBody"):
                errors.add(400)
            if operation.get("requestBody"):  # motcua.web.guards refuses it by Content-Length
                errors.add(413)
            if operation.get("security"):
                errors.add(401)
                if method.lower() not in ("get", "head", "options"):
                    errors.add(403)
            for status in errors:
                responses[status] = {
                    "description": ERROR_STATUSES.get(status, HTTPStatus(status).phrase),
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
            operation["responses"] = dict(sorted(responses.items()))


def _json_method_not_allowed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Ninja answers a method an address does not serve with a plain-text 405; ours is JSON."""

    @functools.wraps(view)  # keeps Ninja's csrf_exempt mark
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        answer = error_response(
            request,
            405,
            "METHOD_NOT_ALLOWED",
            gettext("This address does not answer {method} requests; it answers {allowed}.").format(
                method=request.method, allowed=allowed
            ),
        )
        answer["Allow"] = allowed
        return answer

    return wrapper


class MotCuaAPI(NinjaAPI):
    """NinjaAPI with errors documented in the schema and a JSON 405."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _document_errors(schema)
        return schema

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_method_not_allowed(pattern.callback)
        return patterns, app_name, namespace


api = MotCuaAPI(
    title="MotCua API",
    version="1",
    description=(
        "Public and back-office API of the MotCua one-stop platform. Instants are ISO 8601 in "
        "Vietnamese legal time (`2026-03-02T09:00:00+07:00`); inputs may use any offset. Errors "
        'always have the shape {"result": "error", "code": "...", "msg": "...", "errors": '
        '[{"field": "...", "reason": "..."}]} (`errors` for input errors only); clients branch '
        "on `code`."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    renderer=LegalTimeRenderer(),
)


def error_response(
    request: HttpRequest, status: int, code: str, msg: str, **extra: Any
) -> HttpResponse:
    return api.create_response(
        request, {"result": "error", "code": code, "msg": msg, **extra}, status=status
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, exc.to_dict(), status=exc.http_status)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:  # a rate limit: clients and proxies honour the header (RFC 9110)
        response["Retry-After"] = str(retry_after)
    return response


def _describe(error: dict[str, Any]) -> dict[str, str]:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    return {"field": ".".join(loc) or "request", "reason": str(error.get("msg", ""))}


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [_describe(e) for e in exc.errors]
    fields = ", ".join(e["field"] for e in errors)
    return error_response(
        request,
        400,
        "BAD_REQUEST",
        gettext("Invalid parameters: {fields}.").format(fields=fields),
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "UNAUTHENTICATED", gettext("Authentication required."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # Ninja's "Cannot parse request body" (bad JSON or encoding): a bad request like any
        # other, with a translated message.
        return error_response(
            request, 400, "BAD_REQUEST", gettext("The request body is not valid JSON.")
        )
    if exc.status_code == 403:
        # The only 403 Ninja raises itself: a session login's unsafe request without the token.
        return error_response(
            request,
            403,
            "FORBIDDEN",
            gettext(
                "The CSRF check failed: send the X-CSRFToken header with a session, "
                "or use a bearer token."
            ),
        )
    return error_response(request, exc.status_code, "HTTP_ERROR", str(exc))


def _register_routers() -> None:
    # Imported here so that the app modules load after Django's app registry is ready.
    from motcua.catalog.api import router as catalog_router  # noqa: PLC0415
    from motcua.dossiers.api import auth_router, track_router  # noqa: PLC0415
    from motcua.dossiers.api import router as dossiers_router  # noqa: PLC0415
    from motcua.dossiers.apologies_api import router as apologies_router  # noqa: PLC0415
    from motcua.dossiers.slips.api import router as slips_router  # noqa: PLC0415
    from motcua.units.api import router as units_router  # noqa: PLC0415
    from motcua.worktime.api import router as worktime_router  # noqa: PLC0415

    api.add_router("/units", units_router)
    api.add_router("/worktime", worktime_router)
    api.add_router("/procedures", catalog_router)
    api.add_router("/auth", auth_router)
    api.add_router("/dossiers", dossiers_router)
    api.add_router("/track", track_router)
    api.add_router("", apologies_router)
    api.add_router("", slips_router)


_register_routers()
