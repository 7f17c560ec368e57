"""People: citizens, businesses and officials (placeholder, completed with the accounts work)."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    pass
