"""The API's session login: Django's session, with the CSRF check only where a session exists.

Ninja's SessionAuth checks the CSRF token before it looks at the session, so a client with no
login at all was told "CSRF check failed" (403) instead of "log in" (401), and could not tell a
missing login from a missing header. The CSRF check protects a browser's session from requests
forged by other sites; with no session there is nothing to protect, so the login comes first.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import SessionAuth as NinjaSessionAuth


class SessionAuth(NinjaSessionAuth):
    """Same name as Ninja's, which names the security scheme in the OpenAPI schema."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # authenticate() then finds no user: 401
        return super()._get_key(request)  # 403 if the CSRF token is missing or wrong


session_auth = SessionAuth()
