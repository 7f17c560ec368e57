"""Test-wide fixtures. Each suite runs on SQLite and, in a second pass, on PostgreSQL."""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to be
# called from it. The tests are synchronous code and safe to run that way.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
