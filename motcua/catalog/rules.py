"""A published procedure version as the dossier engine reads it, kept in memory per process.

Every action on a dossier follows the rules of the version it was filed under: its name and
field (the national sync record), its channels' time limits and cut-off hour (the due date), its
required documents (completeness), its results and its internal process (the steps and their
budgets). A published version never changes — the admin shows it read-only and the importer
makes a new version for a changed record (STYLE.md §3) — so it is read from the database once per
process, with everything the engine needs, and shared. Drafts are never kept: they still change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_migrate, post_save

from motcua.catalog.models import (
    Channel,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    ResultDocument,
    VersionStatus,
)

# More than the procedures a province offers (about 1,700 in the demo province), each a few tens
# of kilobytes with its lists: every version in use fits, in well under 100 MB per process.
_CAPACITY = 2048
_versions: OrderedDict[int, ProcedureVersion] = OrderedDict()
_lock = threading.Lock()


def _load(version_id: int) -> ProcedureVersion:
    return (
        ProcedureVersion.objects.select_related("procedure", "field")
        .prefetch_related(
            "channels",
            "documents",
            "results",
            Prefetch("process_steps", queryset=ProcessStep.objects.select_related("agency")),
        )
        .get(id=version_id)
    )


def version_rules(version_id: int) -> ProcedureVersion:
    """The version with its procedure, field, channels, documents, results and process steps
    loaded (their related managers answer `.all()` without a query).

    Callers must only read it: the instance is shared by every request of the process.
    """
    with _lock:
        version = _versions.get(version_id)
        if version is not None:
            _versions.move_to_end(version_id)
            return version
    version = _load(version_id)
    if version.status != VersionStatus.DRAFT:
        with _lock:
            _versions[version_id] = version
            while len(_versions) > _CAPACITY:
                _versions.popitem(last=False)
    return version


def forget_versions() -> None:
    """Drop what this process keeps (tests that rebuild the catalogue between cases)."""
    with _lock:
        _versions.clear()


def _forget_version(sender: type, instance: object, **kwargs: object) -> None:
    # A draft being edited, or a row whose id this process saw before (SQLite reuses the ids of
    # rolled-back rows): never answer from an older copy.
    version_id = getattr(instance, "version_id", None) or instance.pk  # type: ignore[attr-defined]
    with _lock:
        _versions.pop(version_id, None)


def _forget_all(**kwargs: object) -> None:
    forget_versions()


def _connect() -> None:
    for model in (ProcedureVersion, Channel, RequiredDocument, ResultDocument, ProcessStep):
        for signal in (post_save, post_delete):
            signal.connect(_forget_version, sender=model, dispatch_uid=f"rules-{model.__name__}")
    # `flush` (transactional tests) empties the tables and emits post_migrate.
    post_migrate.connect(_forget_all, dispatch_uid="rules-flush")


_connect()
