#!/usr/bin/env python3
"""Check exported audit checkpoints with the public keys alone (no database, no MotCua code).

    python3 verify_checkpoint_export.py checkpoints.jsonl KEY.pem [KEY.pem ...]

Needs only Python 3 and the `cryptography` package. Each line of the export is
{"signature": "<base64>", "statement": {...}}; the signature is Ed25519 over the statement as
canonical JSON (keys sorted, separators "," and ":", ASCII), made by the key whose id is
statement["key_id"]: the first 16 hex digits of SHA-256 of the raw 32-byte public key. Each
statement's "previous" is the SHA-256 of the canonical JSON of the statement before it (64 zeros
for checkpoint 1), and numbers follow each other, so a checkpoint altered, dropped or inserted
shows. Exits 1 on any failure, naming the checkpoint.

Keep each export: a later export whose common checkpoints differ from yours, or that lacks some
you hold, means the operator's checkpoints were replaced.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "motcua-audit-checkpoint/1"
GENESIS = "0" * 64


def canonical(statement: dict[str, object]) -> bytes:
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def load_keys(paths: list[str]) -> dict[str, Ed25519PublicKey]:
    keys = {}
    for path in paths:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            sys.exit(f"{path}: not an Ed25519 public key")
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        keys[hashlib.sha256(raw).hexdigest()[:16]] = key
    return keys


def check(lines: list[str], keys: dict[str, Ed25519PublicKey]) -> list[str]:
    """Problems found, one line each; empty when every checkpoint verifies."""
    problems = []
    previous: str | None = None
    expected: int | None = None
    for line in lines:
        entry = json.loads(line)
        statement = entry["statement"]
        number = statement.get("number")
        if statement.get("format") != FORMAT:
            problems.append(f"checkpoint {number}: unknown format {statement.get('format')!r}")
            continue
        key = keys.get(statement["key_id"])
        if key is None:
            problems.append(f"checkpoint {number}: signed by key {statement['key_id']}, not given")
        else:
            try:
                key.verify(base64.b64decode(entry["signature"]), canonical(statement))
            except (InvalidSignature, ValueError):
                problems.append(f"checkpoint {number}: the signature does not verify")
        if expected is None:  # an export may start after checkpoint 1 (--after)
            if number == 1 and statement["previous"] != GENESIS:
                problems.append("checkpoint 1: does not start the chain")
        elif number != expected or statement["previous"] != previous:
            problems.append(f"checkpoint {number}: does not follow checkpoint {expected - 1}")
        previous = hashlib.sha256(canonical(statement)).hexdigest()
        expected = number + 1
    return problems


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    lines = [ln for ln in Path(sys.argv[1]).read_text().splitlines() if ln.strip()]
    problems = check(lines, load_keys(sys.argv[2:]))
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print(f"{len(lines)} checkpoints verify.")


if __name__ == "__main__":
    main()
