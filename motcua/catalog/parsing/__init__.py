"""Parsing the national public-service portal's procedure records (pure Python, no Django).

`parse_record(raw)` turns one record of the catalogue export into a `ParsedProcedure`; it never
raises and flags in `issues` whatever it could not read. `python -m motcua.catalog.parsing
<file.json>` reports how much of a catalogue file parses cleanly.
"""

from motcua.catalog.parsing.channels import Channel, ChannelKind
from motcua.catalog.parsing.documents import DocumentGroup, RequiredDocument
from motcua.catalog.parsing.fees import FeeLine
from motcua.catalog.parsing.legal_basis import LegalDoc
from motcua.catalog.parsing.record import Agencies, Level, ParsedProcedure, parse_record
from motcua.catalog.parsing.results import ResultDoc
from motcua.catalog.parsing.time_limits import TimeLimit, TimeUnit

__all__ = [
    "Agencies",
    "Channel",
    "ChannelKind",
    "DocumentGroup",
    "FeeLine",
    "LegalDoc",
    "Level",
    "ParsedProcedure",
    "RequiredDocument",
    "ResultDoc",
    "TimeLimit",
    "TimeUnit",
    "parse_record",
]
