"""gunicorn's settings for MotCua (scripts/serve.sh: `--config python:motcua.config.gunicorn`).

Access log: gunicorn logs through its own loggers, not Django's LOGGING, so the masking filter
(`motcua.accounts.masking`) is added to them here; otherwise a URL such as the admin's search by
ID number (`?q=035199000123`) would be written in full. Both gunicorn's loggers are masked: its
error log quotes request lines too.

Request size: gunicorn bounds the request line and headers (below) but has no limit on bodies;
the application refuses an oversized body by its Content-Length before reading it
(motcua.web.guards). In front of the Internet, a reverse proxy should cap bodies as well
(nginx: `client_max_body_size 11m;`, MOTCUA_UPLOAD_MAX_BYTES plus the multipart framing).
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from motcua.accounts.masking import MaskPersonalIdFilter

# A request line (method, path, query) of up to 8 KiB, at most 100 headers of up to 8 KiB each.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190


class MaskedLogger(Logger):
    """gunicorn's logger with personal ID numbers masked in the access and error logs."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, MaskPersonalIdFilter) for f in log.filters):
                log.addFilter(MaskPersonalIdFilter())


logger_class = "motcua.config.gunicorn.MaskedLogger"
