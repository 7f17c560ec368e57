"""Django's password login, reading an official's row with the user on every request.

`accounts.viewer` needs the official's `roles_stamp` on each request to know whether the roles
it keeps are current; reading it in the session's own user query saves a statement per page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from motcua.accounts.models import User
from motcua.accounts.viewer import LOGIN_READ_OFFICIAL


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("official").filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        setattr(user, LOGIN_READ_OFFICIAL, True)
        return user
