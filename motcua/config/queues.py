"""Task queues, named by purpose, in one place (STYLE §7).

The database worker serves the queues it is told to: `manage.py db_worker --queue-name '*'`
serves them all. A deployment that splits workers per queue must cover every name here.
"""

from __future__ import annotations

DEFAULT = "default"
# Messages to citizens and businesses: many, small, and never blocking the officials' work.
NOTIFY_CITIZEN = "notify_citizen"

ALL_QUEUES = (DEFAULT, NOTIFY_CITIZEN)
