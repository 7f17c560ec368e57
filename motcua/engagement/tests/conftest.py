"""The dossier tests' people and dossiers, built the same way (dossiers/tests/conftest.py)."""

from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures, used by name)
    media_root,
    people,
    running,
    submitted,
)
