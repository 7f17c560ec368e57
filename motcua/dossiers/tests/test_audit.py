"""The audit trail is a hash chain: any change to past events is caught by verify_audit."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from motcua.dossiers.audit import verify_chain
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.conftest import People, act

pytestmark = pytest.mark.django_db


def walk(dossier: Dossier, people: People) -> Dossier:
    for action, user in (("appraise", people.specialist), ("approve", people.leader)):
        dossier = act(dossier, action, user)
    return dossier


def test_an_intact_history_verifies(accepted: Dossier, people: People) -> None:
    walk(accepted, people)
    out = StringIO()
    with translation.override("en"):
        call_command("verify_audit", stdout=out, stderr=StringIO())
    assert "histories are intact" in out.getvalue()
    events = list(DossierEvent.objects.filter(dossier=accepted).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))


@pytest.mark.parametrize("tamper", ["comment", "actor", "delete", "reorder"])
def test_a_tampered_event_is_caught_and_the_dossier_named(
    accepted: Dossier, people: People, tamper: str
) -> None:
    dossier = walk(accepted, people)
    events = DossierEvent.objects.filter(dossier=dossier).order_by("seq")
    target = events[2]
    # Tampering with SQL, as an insider with database access would (model saves are refused).
    if tamper == "comment":
        DossierEvent.objects.filter(id=target.id).update(comment="đã sửa")
    elif tamper == "actor":
        DossierEvent.objects.filter(id=target.id).update(actor=people.leader)
    elif tamper == "delete":
        DossierEvent.objects.filter(id=target.id).delete()
    else:
        DossierEvent.objects.filter(id=target.id).update(seq=999)
    assert verify_chain(dossier) is not None
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="1 of"):
        call_command("verify_audit", stdout=out, stderr=StringIO())
    assert dossier.code in out.getvalue()


def test_events_cannot_be_changed_through_the_model(accepted: Dossier) -> None:
    event = DossierEvent.objects.filter(dossier=accepted).first()
    assert event is not None
    event.comment = "sửa"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
