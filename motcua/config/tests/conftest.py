"""The dossier tests' people and dossiers, built by actions, for the API-wide tests here."""

from motcua.dossiers.tests.conftest import accepted, media_root, people, submitted  # noqa: F401
