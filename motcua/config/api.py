"""The JSON API at /api/v1/: one NinjaAPI, one error shape, an OpenAPI 3 schema.

Every error, whatever raised it, answers `{"result": "error", "code": ..., "msg": ...}` with
the matching HTTP status; clients branch on `code`. Bad parameters are 400 (not Ninja's 422),
unknown objects 404, and nothing reaches the user as a 500 page for a malformed request.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.common.errors import DomainError

api = NinjaAPI(
    title="MotCua API",
    version="1",
    description=(
        "Public and back-office API of the MotCua one-stop platform. Errors always have the "
        'shape {"result": "error", "code": "...", "msg": "..."}; clients branch on `code`.'
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
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
