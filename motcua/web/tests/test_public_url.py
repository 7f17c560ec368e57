"""The public address printed in QR codes and links follows where `make run` serves (HOST and
PORT, exported as MOTCUA_HOST and MOTCUA_PORT) unless MOTCUA_PUBLIC_URL says otherwise.

Settings are read once per process, so each case starts a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps([settings.MOTCUA_PUBLIC_URL, settings.ALLOWED_HOSTS]))"
)


def served(**env: str) -> tuple[str, list[str]]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"MOTCUA_PUBLIC_URL", "MOTCUA_HOST", "MOTCUA_PORT", "MOTCUA_ALLOWED_HOSTS"}
    }
    result = subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, "-c", PRINT_SETTINGS],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
            "MOTCUA_TESTING": "1",
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    url, hosts = json.loads(result.stdout)
    return url, hosts


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"MOTCUA_PORT": "8101"}, "http://127.0.0.1:8101"),
        ({"MOTCUA_HOST": "localhost", "MOTCUA_PORT": "8101"}, "http://localhost:8101"),
        # Listening on every address: a browser on this machine uses the loopback.
        ({"MOTCUA_HOST": "0.0.0.0", "MOTCUA_PORT": "8101"}, "http://127.0.0.1:8101"),  # noqa: S104
        ({"MOTCUA_HOST": "::1", "MOTCUA_PORT": "8101"}, "http://[::1]:8101"),
        # An explicit address wins (behind a proxy the served port is not the public one).
        (
            {"MOTCUA_PORT": "8101", "MOTCUA_PUBLIC_URL": "https://dichvucong.example.vn/"},
            "https://dichvucong.example.vn",
        ),
    ],
)
def test_the_public_url_follows_host_and_port_unless_set(env: dict[str, str], url: str) -> None:
    assert served(**env)[0] == url


def test_the_served_host_is_an_allowed_host() -> None:
    # `make run HOST=192.0.2.10` must answer requests for that address, not 400 them.
    assert "192.0.2.10" in served(MOTCUA_HOST="192.0.2.10")[1]
    assert "192.0.2.10" not in served(MOTCUA_HOST="192.0.2.10", MOTCUA_ALLOWED_HOSTS="a.vn")[1]
