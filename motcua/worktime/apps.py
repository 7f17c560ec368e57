from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    label = "worktime"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded when this module is.
        from motcua.worktime import signals  # noqa: F401, PLC0415  (connects the receivers)
