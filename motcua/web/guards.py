"""What every request must pass before a view sees it: a bounded body, and text the database can
store (`motcua.common.inputs`).

One middleware for the API and the HTML pages alike, so no endpoint can forget a check:

- a body larger than the view accepts is refused with 413 from its Content-Length, before a byte
  of it is read (uploads may be MOTCUA_UPLOAD_MAX_BYTES plus the multipart framing, anything else
  DATA_UPLOAD_MAX_MEMORY_SIZE); gunicorn has no body limit of its own, and Django would otherwise
  stream a multipart body of any size to disk before the view could refuse it;
- a NUL character or an unpaired surrogate anywhere in the path, the query string, a header, a
  form field or file name, or a JSON string is refused with 400;
- a body Django cannot parse (broken multipart, too many fields) is refused with 400.

Under /api/ the answer has the API's error shape; elsewhere it is a page. A refused request runs
no view, so it changes nothing and counts against no rate limit. Parsing here, before the view,
costs nothing extra: the parsed form or body is kept on the request and the view reads that.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.translation import gettext

from motcua.common.inputs import is_storable_text, unstorable_json_fields, unstorable_text_reason

API_PREFIX = "/api/"
# Views that take a file: they may receive MOTCUA_UPLOAD_MAX_BYTES of it.
UPLOAD_VIEWS = frozenset({"api-v1:upload_document", "applicant:my_upload"})
# Pages whose form carries several files at once, with how many: the online submission's
# documents page (the page says so).
MULTI_UPLOAD_VIEWS = {"applicant:submit_documents": 4}
# Boundaries, part headers and the small fields beside the file (requirement, digitised).
MULTIPART_OVERHEAD = 64 * 1024
FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})
# JSON may spell a NUL or a lone surrogate as an escape; only then is the body parsed here.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89abcdefABCDEF])")


def content_limit(view_name: str | None) -> int:
    """The largest content, in bytes, the view `view_name` ("namespace:name") accepts: a file
    for an upload view, form fields or a JSON body for any other."""
    if view_name in UPLOAD_VIEWS:
        return int(settings.MOTCUA_UPLOAD_MAX_BYTES)
    if view_name in MULTI_UPLOAD_VIEWS:
        return MULTI_UPLOAD_VIEWS[view_name] * int(settings.MOTCUA_UPLOAD_MAX_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def _header_name(meta_key: str) -> str:
    return "-".join(part.capitalize() for part in meta_key.removeprefix("HTTP_").split("_"))


def _bad_fields(pairs: Iterable[tuple[str, str]]) -> Iterator[str]:
    for name, value in pairs:
        if not is_storable_text(name):
            yield "request"
        elif not is_storable_text(value):
            yield name


class RequestGuardMiddleware:
    """Refuses oversized bodies (413), unstorable text and unreadable bodies (400).

    Placed after the locale middleware (answers are in the request's language) and before the
    CSRF middleware, whose check would otherwise read the body first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            fields = [
                *_bad_fields([("path", request.path_info)]),
                *_bad_fields((k, v) for k, vs in request.GET.lists() for v in vs),
                *_bad_fields(
                    (_header_name(key), value)
                    for key, value in request.META.items()
                    if key.startswith("HTTP_") and isinstance(value, str)
                ),
            ]
        except SuspiciousOperation:  # too many query fields
            return _refuse_unreadable(request)
        if fields:
            return _refuse_text(request, fields)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        limit = content_limit(match.view_name if match else None)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + MULTIPART_OVERHEAD:
            return _refuse_too_large(request, limit)
        if request.method in ("GET", "HEAD", "OPTIONS") or length == 0:
            return None
        try:
            fields = list(self._bad_body_fields(request))
        except RequestDataTooBig:
            return _refuse_too_large(request, limit)
        except (MultiPartParserError, SuspiciousOperation):
            return _refuse_unreadable(request)
        if fields:
            return _refuse_text(request, fields)
        return None

    @staticmethod
    def _bad_body_fields(request: HttpRequest) -> Iterator[str]:
        if request.content_type in FORM_TYPES:
            if request.method != "POST":  # Django parses forms of POST requests only
                return
            yield from _bad_fields((k, v) for k, vs in request.POST.lists() for v in vs)
            for name, upload in request.FILES.items():
                if not is_storable_text(upload.name or ""):
                    yield name
            return
        body = request.body
        if b"\x00" in body:
            yield "body"
        elif _SUSPECT_ESCAPE.search(body):
            try:
                parsed = json.loads(body)
            except ValueError:  # not JSON: the view answers that
                return
            yield from unstorable_json_fields(parsed)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _answer(
    request: HttpRequest,
    status: int,
    code: str,
    msg: str,
    errors: list[dict[str, str]] | None,
    *,
    page_msg: str | None = None,
) -> HttpResponse:
    if _is_api(request):
        body: dict[str, Any] = {"result": "error", "code": code, "msg": msg}
        if errors:
            body["errors"] = errors
        return JsonResponse(body, status=status)
    # Rendered without the session's user or messages: the request was refused before them.
    return HttpResponse(
        loader.render_to_string("web/400.html", {"message": page_msg or msg}), status=status
    )


def _refuse_text(request: HttpRequest, fields: list[str]) -> HttpResponse:
    unique = list(dict.fromkeys(fields))
    reason = unstorable_text_reason()
    return _answer(
        request,
        400,
        "BAD_REQUEST",
        gettext("Invalid parameters: {fields}.").format(fields=", ".join(unique)),
        [{"field": field, "reason": reason} for field in unique],
        # A person filled in a form or followed a link: field names would mean nothing to them.
        page_msg=gettext(
            "What you sent contains a character that is not allowed (NUL or an unpaired surrogate)."
        ),
    )


def _refuse_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    return _answer(
        request,
        413,
        "REQUEST_TOO_LARGE",
        gettext("The request is too large: this address accepts at most {size}.").format(
            size=_megabytes(limit)
        ),
        None,
    )


def _refuse_unreadable(request: HttpRequest) -> HttpResponse:
    return _answer(
        request,
        400,
        "BAD_REQUEST",
        gettext("The request could not be read: its form data are malformed or too many."),
        None,
    )
