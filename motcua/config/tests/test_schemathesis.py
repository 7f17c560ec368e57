"""Schemathesis against a live gunicorn: generated requests, valid and invalid, to every operation
of /api/v1/openapi.json, anonymously and with a citizen's and an official's token.

Checks: no 5xx (`not_a_server_error`) and every answer as the schema documents it
(`response_schema_conformance`). Phases: the schema's examples, boundary coverage, random
fuzzing (NUL characters included), and the stateful phase, which chains operations through links
Schemathesis infers from the schema (a submission's `code` into the dossier's reads, uploads and
actions). The `code` parameters are also bound to a real dossier and procedure, so the dossier
operations are reached, not only answered 404.

Bounded for CI: a fixed seed and a few examples per operation (the run's figures are printed on
failure). MOTCUA_SCHEMATHESIS_EXAMPLES raises the count for a deeper local run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.accounts.tokens import do_issue_token
from motcua.config.tests.live import GUNICORN, gunicorn
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import PASSWORD, PROCEDURE, People

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (GUNICORN.exists() and SCHEMATHESIS.exists()), reason="needs gunicorn, schemathesis"
    ),
]
EXAMPLES = os.environ.get("MOTCUA_SCHEMATHESIS_EXAMPLES", "15")


def schemathesis(url: str, config: Path, *headers: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(config),
        "run",
        f"{url}/api/v1/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--max-examples",
        EXAMPLES,
        "--seed",
        "20260302",
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
        *(part for header in headers for part in ("-H", header)),
    ]
    # Run in the test's directory: Schemathesis keeps a cache (.schemathesis/) where it runs.
    return subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=600, check=False, cwd=config.parent
    )


def test_no_server_error_and_every_answer_as_documented(
    tmp_path: Path, people_tx: People, accepted_tx: Dossier
) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        f"""
[[operations]]
include-path-regex = "^/api/v1/(dossiers|track)/\\\\{{code\\\\}}"
parameters = {{ code = "{accepted_tx.code}" }}

[[operations]]
include-path-regex = "^/api/v1/procedures/\\\\{{code\\\\}}"
parameters = {{ code = "{PROCEDURE}" }}
""",
        encoding="utf-8",
    )
    citizen, _ = do_issue_token(login="nguyen.thi.hoa", password=PASSWORD)
    official, _ = do_issue_token(login="chuyen.vien", password=PASSWORD)
    with gunicorn(tmp_path, workers=2, MOTCUA_TRACK_LIMIT="100000") as server:
        for who, headers in (
            ("anonymous", ()),
            ("citizen", (f"Authorization: Bearer {citizen}",)),
            ("official", (f"Authorization: Bearer {official}",)),
        ):
            run = schemathesis(server.url, config, *headers)
            assert run.returncode == 0, f"{who}:\n{run.stdout[-20000:]}\n{run.stderr[-3000:]}"
