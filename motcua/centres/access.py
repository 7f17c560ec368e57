"""Who may work the queue: the receiving officers of the centre, at its counters."""

from __future__ import annotations

from motcua.accounts.models import Role
from motcua.accounts.viewer import Viewer
from motcua.centres.errors import NotAReceiverHereError
from motcua.centres.queries import get_counter
from motcua.units.models import Agency, Counter


def access_centre_for_receiver(viewer: Viewer, centre: Agency) -> None:
    """NotAReceiverHereError unless the viewer is a receiving officer of this very centre.

    Roles do not inherit (Viewer.holds): a receiver of another centre, a leader or a manager
    of this one does not call numbers here.
    """
    if not viewer.holds(Role.RECEIVER, centre.id):
        raise NotAReceiverHereError


def access_counter_for_receiver(viewer: Viewer, centre: Agency, number: int) -> Counter:
    """The centre's counter `number` for one of its receiving officers.

    NotAReceiverHereError first, so that officials of other agencies learn nothing about this
    centre's counters; then CounterNotFoundError for a number the centre does not have.
    """
    access_centre_for_receiver(viewer, centre)
    return get_counter(centre, number)
