"""Language choice: Vietnamese for every visitor until they switch.

Django's LocaleMiddleware follows the browser's Accept-Language, so a citizen whose phone is set
to English would get English pages unasked. A Vietnamese public service speaks Vietnamese by
default; English is one click away and then remembered (the language cookie). API clients are
programs that say what they want, so /api/ keeps honouring Accept-Language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

API_PREFIX = "/api/"


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith(API_PREFIX):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
