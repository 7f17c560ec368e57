"""The dossier tests' people and dossiers, for the web tests that need a dossier to track."""

from motcua.dossiers.tests.conftest import media_root, people, submitted  # noqa: F401
