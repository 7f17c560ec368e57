"""The dossier tests' people and dossiers, built by actions, for the API-wide tests here."""

from motcua.dossiers.tests.conftest import (  # noqa: F401
    accepted,
    accepted_tx,
    media_root,
    people,
    people_tx,
    submitted,
)
