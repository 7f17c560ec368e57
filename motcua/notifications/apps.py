from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The dossier engine knows nothing of notifications: they follow its audit events.
        from motcua.notifications import receivers  # noqa: F401, PLC0415
