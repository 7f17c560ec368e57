"""Fill a PostgreSQL database with N realistic dossiers, fast (COPY, not the ORM).

    .venv/bin/python bench/generate_dossiers.py --create                   # 1,000,000 dossiers
    .venv/bin/python bench/generate_dossiers.py --create --dossiers 20000 \
        --database-url postgres://postgres@127.0.0.1:5432/motcua_bench_small

The database must be migrated and hold the units, the demo province Tuyên Quang (08) and the
catalogue; `--create` creates it if missing and runs `migrate` and `setup_demo` (with
MOTCUA_DEMO_PASSWORD if set) when the catalogue is not there yet. What is written:

- officials: for each service centre of the province 2 receivers, for each competent agency 2
  specialists, 1 leader, 1 clerk (`bench.<role>.<agency code>.<n>`, unusable password), with their
  role memberships; reused on a second run;
- citizens (`--citizens`, default N / 5): accounts.User (kind citizen, password "!", unusable)
  and accounts.Citizen with valid, unique 12-digit personal ID numbers (pre-2025 birth province
  code, mostly 008 Tuyên Quang and 002 Hà Giang, century/sex digit, year, 6 random digits);
- dossiers: procedures drawn by Procedure.usage_weight among those offered in province 08
  (commune-level ones at one of the 124 commune centres, province-level ones at H08.01),
  submitted from 2023-12-01 to 2026-11-30 (never after --now), channels online 45 %, counter 50 %,
  post 3 %, kiosk 2 %, codes `<agency code>-<YYMMDD>-<NNNN>` numbered per agency and local day in
  submission order, with DossierCounter rows so that new submissions continue the sequence;
- each dossier's life as the engine would have recorded it up to --now: submit, the uploads of
  the required documents (DossierDocument rows, fake content hashes: no files on disk), accept
  or refuse (3 %), sometimes a supplement round (8 %) or a stop (1 %), appraise, approve, sign,
  issue_result (a DossierResult), return_result. Old dossiers are returned (10), recent ones are
  at the stage their timeline reached. DossierEvent rows carry the right seq and a valid hash
  chain computed with motcua.dossiers.audit.event_hash (`manage.py verify_audit` passes), and
  DossierStep rows the steps with their due times and outcomes. Outbox rows are not generated
  (the history is taken as already sent).

Due times use a fixed working-time approximation, not the holiday calendar: office hours
7:30–11:30 and 13:30–17:00 Monday to Friday, public holidays ignored; calendar-day limits are
calendar days. The outcome (early / on time / late) follows from those times.

Speed: everything is written in one transaction with COPY; the secondary indexes and foreign keys
of the filled tables are dropped first and rebuilt at the end (as pg_restore does), sequences are
set past the new ids, then VACUUM ANALYZE. Rows are built by `--workers` processes (default 2).
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import itertools
import json
import multiprocessing
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers"
PROVINCE = "08"
UTC = dt.UTC
LOCAL_OFFSET = dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh, no daylight saving
LOCAL_TZ = dt.timezone(LOCAL_OFFSET)
WINDOW_START = dt.date(2023, 12, 1)
WINDOW_END = dt.date(2026, 11, 30)
OFFICE_BLOCKS = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60 + 30, 17 * 60))  # minutes of the day
OFFICE_DAY_HOURS = 7.5
NOMINAL_DAY_HOURS = 8.0
CHANNELS = (("online", 45), ("counter", 50), ("post", 3), ("kiosk", 2))
APPROXIMATION_NOTE = (
    "generated history: working days approximated (weekends skipped, public holidays not)"
)
TABLES = (
    "accounts_user",
    "accounts_citizen",
    "dossiers_dossier",
    "dossiers_dossierevent",
    "dossiers_dossierstep",
    "dossiers_dossierdocument",
    "dossiers_dossierresult",
)

FAMILY = (
    ("Nguyễn", 30),
    ("Trần", 8),
    ("Lê", 7),
    ("Phạm", 5),
    ("Hoàng", 6),
    ("Vũ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Ngô", 1),
    ("Dương", 2),
    ("Lý", 2),
    ("Ma", 3),
    ("Hà", 3),
    ("Nông", 3),
    ("Lục", 1),
    ("Triệu", 2),
    ("Giàng", 2),
    ("Vàng", 2),
    ("Sùng", 2),
    ("Lò", 1),
    ("Quan", 1),
    ("Chu", 1),
    ("Mai", 1),
)
MIDDLE_M = ("Văn", "Đức", "Minh", "Quốc", "Xuân", "Hữu", "Công", "Thanh", "Ngọc", "Mạnh", "Seo")
MIDDLE_F = ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Bích", "Kim", "Diệu")
GIVEN_M = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Đông",
    "Giang",
    "Hải",
    "Hiếu",
    "Hoà",
    "Hùng",
    "Huy",
    "Khánh",
    "Kiên",
    "Lâm",
    "Long",
    "Lợi",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Chứ",
    "Páo",
)
GIVEN_F = (
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Duyên",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Huệ",
    "Hương",
    "Huyền",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Thơ",
    "Thu",
    "Thuỷ",
    "Trang",
    "Trinh",
    "Tuyết",
    "Vân",
    "Xuân",
    "Yến",
    "Dợ",
    "Mỷ",
)
# Pre-2025 birth registration provinces (Circular 07/2016): Tuyên Quang, Hà Giang, neighbours.
BIRTH_CODES = (
    ("008", 50),
    ("002", 35),
    ("001", 4),
    ("025", 2),
    ("015", 2),
    ("019", 2),
    ("010", 1),
    ("004", 1),
    ("006", 1),
    ("024", 1),
    ("026", 1),
)
VILLAGES = ("Thôn Làng Mới", "Thôn Bản Tát", "Tổ dân phố 5", "Thôn Khuổi Phầy", "Thôn Nà Mèo")


# ---------------------------------------------------------------------------------------------
# Reference data (read once with the ORM; copied into the worker processes by fork)
# ---------------------------------------------------------------------------------------------


@dataclass
class Agency:
    id: int
    code: str
    unit_id: int
    parent_id: int | None


@dataclass
class Official:
    id: int
    user_id: int
    name: str


@dataclass
class Offering:
    procedure_id: int
    version_id: int
    level: str
    competent_id: int | None  # None: the commune committee of the receiving centre
    weight: float


@dataclass
class Version:
    name: str
    summary: str  # COPY-escaped
    limits: dict[str, tuple[str | None, str, str]]  # channel kind -> (value, unit, text)
    cutoff: dt.time | None
    documents: list[tuple[int, str]]  # (requirement id, name) of the documents to hand in
    result_name: str
    plan: list[dict[str, Any]]
    plan_json: str  # COPY-escaped


@dataclass
class Reference:
    agencies: dict[int, Agency] = field(default_factory=dict)
    provincial_centre: int = 0
    commune_centres: list[int] = field(default_factory=list)
    commune_weights: list[float] = field(default_factory=list)
    offerings: list[Offering] = field(default_factory=list)
    versions: dict[int, Version] = field(default_factory=dict)
    receivers: dict[int, list[Official]] = field(default_factory=dict)  # centre id -> officials
    staff: dict[int, dict[str, list[Official]]] = field(default_factory=dict)  # agency -> role
    citizens: list[tuple[int, int, str, str]] = field(default_factory=list)  # id, user, name, pid


REF = Reference()


def copy_text(value: str) -> str:
    """Escape a value for COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_reference(rng: random.Random) -> None:
    from motcua.catalog.models import ProcedureOffering, ProcedureVersion
    from motcua.catalog.queries import effective_process
    from motcua.units.models import Agency as AgencyModel
    from motcua.units.models import AgencyKind

    for a in AgencyModel.objects.filter(province_code=PROVINCE, is_active=True):
        REF.agencies[a.id] = Agency(a.id, a.code, a.unit_id, a.parent_id)
        if a.kind == AgencyKind.PROVINCIAL_CENTRE:
            REF.provincial_centre = a.id
        elif a.kind == AgencyKind.COMMUNE_CENTRE:
            REF.commune_centres.append(a.id)
    REF.commune_centres.sort(key=lambda i: REF.agencies[i].code)
    # Communes differ in size: a fixed log-normal draw per centre.
    REF.commune_weights = [rng.lognormvariate(0, 0.6) for _ in REF.commune_centres]
    offerings = list(
        ProcedureOffering.objects.filter(province_code=PROVINCE, is_active=True)
        .select_related("procedure")
        .order_by("id")
    )
    per_procedure: dict[int, int] = {}
    for o in offerings:
        per_procedure[o.procedure_id] = per_procedure.get(o.procedure_id, 0) + 1
    version_ids = set()
    for o in offerings:
        if o.procedure.current_id is None:
            continue
        if o.level == "province" and o.competent_agency_id is None:
            continue
        weight = max(o.procedure.usage_weight, 1) / per_procedure[o.procedure_id]
        REF.offerings.append(
            Offering(
                o.procedure_id,
                o.procedure.current_id,
                o.level,
                o.competent_agency_id if o.level == "province" else None,
                weight,
            )
        )
        version_ids.add(o.procedure.current_id)
    versions = ProcedureVersion.objects.filter(id__in=version_ids).prefetch_related(
        "channels", "documents", "results", "process_steps__agency"
    )
    for v in versions:
        limits = {
            c.kind: (
                None if c.time_value is None else str(c.time_value),
                c.time_unit,
                c.time_text,
            )
            for c in v.channels.all()
        }
        docs = []
        for r in v.documents.all():  # the rules of actions.missing_documents
            group = r.group.lower()
            if group and not group.startswith("giấy tờ phải nộp"):
                continue
            if not r.mandatory or not ((r.originals or 0) + (r.copies or 0)):
                continue
            docs.append((r.id, r.name))
        steps, is_default = effective_process(v)
        plan = [
            {
                "kind": s.kind,
                "role": s.role,
                "budget_hours": str(s.budget_hours),
                "default": is_default,
            }
            for s in steps
        ]
        results = [r.name for r in v.results.all()]
        REF.versions[v.id] = Version(
            name=v.name,
            summary=copy_text(v.name[:500]),
            limits=limits,
            cutoff=v.cutoff_time,
            documents=docs,
            result_name=(results[0] if results else "Kết quả")[:500],
            plan=plan,
            plan_json=copy_text(compact(plan)),
        )


def ensure_officials(rng: random.Random) -> None:
    """Receivers at every service centre, specialists/leaders/clerks at every competent
    agency; created once (bulk_create, unusable passwords), reused afterwards."""
    from django.db import transaction

    from motcua.accounts.models import Official as OfficialModel
    from motcua.accounts.models import Role, RoleMembership, User, UserKind

    wanted: list[tuple[int, str, int]] = [(c, Role.RECEIVER, 2) for c in REF.commune_centres]
    wanted.append((REF.provincial_centre, Role.RECEIVER, 2))
    competent = {o.competent_id for o in REF.offerings if o.competent_id}
    competent |= {REF.agencies[c].parent_id for c in REF.commune_centres}  # type: ignore[misc]
    for agency_id in sorted(a for a in competent if a):
        wanted += [
            (agency_id, Role.SPECIALIST, 2),
            (agency_id, Role.LEADER, 1),
            (agency_id, Role.CLERK, 1),
        ]
    usernames = {
        f"bench.{role}.{REF.agencies[a].code.lower()}.{n}": (a, role)
        for a, role, count in wanted
        for n in range(1, count + 1)
    }
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    now = dt.datetime(2023, 11, 1, tzinfo=UTC)
    with transaction.atomic():
        new = [u for u in usernames if u not in existing]
        users = User.objects.bulk_create(
            User(
                username=u,
                password="!",  # noqa: S106  (Django's unusable password marker)
                first_name=person_name(rng, rng.random() < 0.5),
                kind=UserKind.OFFICIAL,
                date_joined=now,
            )
            for u in new
        )
        officials = OfficialModel.objects.bulk_create(
            OfficialModel(user=u, full_name=u.first_name, position_title="", created_at=now)
            for u in users
        )
        RoleMembership.objects.bulk_create(
            RoleMembership(
                official=o,
                agency_id=usernames[o.user.username][0],
                role=usernames[o.user.username][1],
            )
            for o in officials
        )
    for o in OfficialModel.objects.filter(user__username__in=usernames).select_related("user"):
        agency_id, role = usernames[o.user.username]
        person = Official(o.id, o.user_id, o.user.get_full_name() or o.user.username)
        if role == Role.RECEIVER:
            REF.receivers.setdefault(agency_id, []).append(person)
        else:
            REF.staff.setdefault(agency_id, {}).setdefault(role, []).append(person)


def person_name(rng: random.Random, female: bool) -> str:
    family = rng.choices(FAMILY_NAMES, cum_weights=FAMILY_CUM)[0]
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return f"{family} {middle} {given}"


FAMILY_NAMES = [f for f, _w in FAMILY]
FAMILY_CUM = list(itertools.accumulate(w for _f, w in FAMILY))


# ---------------------------------------------------------------------------------------------
# Working time approximation (local naive datetimes)
# ---------------------------------------------------------------------------------------------


def add_days_skipping_weekends(day: dt.date, n: int) -> dt.date:
    weeks, rest = divmod(n, 5)
    day += dt.timedelta(days=7 * weeks)
    while rest:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            rest -= 1
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def snap(t: dt.datetime) -> dt.datetime:
    """The first office moment at or after t."""
    day = t.date()
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
        t = dt.datetime.combine(day, dt.time(7, 30))
    minute = t.hour * 60 + t.minute
    for start, end in OFFICE_BLOCKS:
        if minute < start:
            return dt.datetime.combine(day, dt.time(start // 60, start % 60))
        if minute < end:
            return t
    nxt = add_days_skipping_weekends(day, 1)
    return dt.datetime.combine(nxt, dt.time(7, 30))


def add_work(t: dt.datetime, hours: float) -> dt.datetime:
    """t plus `hours` of office time."""
    t = snap(t)
    remaining = hours * 60.0  # minutes
    day_minutes = OFFICE_DAY_HOURS * 60
    while True:
        minute = t.hour * 60 + t.minute + t.second / 60
        for start, end in OFFICE_BLOCKS:
            if minute < end:
                minute = max(minute, start)
                available = end - minute
                if remaining <= available:
                    return dt.datetime.combine(t.date(), dt.time()) + dt.timedelta(
                        minutes=minute + remaining
                    )
                remaining -= available
                minute = end
        whole = int(remaining // day_minutes)
        day = add_days_skipping_weekends(t.date(), 1 + whole)
        remaining -= whole * day_minutes
        t = dt.datetime.combine(day, dt.time(7, 30))


def to_utc(local: dt.datetime) -> dt.datetime:
    return (local - LOCAL_OFFSET).replace(tzinfo=UTC)


def to_local(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=None) + LOCAL_OFFSET


def ts(moment: dt.datetime | None) -> str:
    return "\\N" if moment is None else moment.isoformat()


def limit_hours(limit: tuple[str | None, str, str] | None) -> tuple[float | None, bool]:
    """(working hours, calendar days?) of a channel limit; None when none is published."""
    if limit is None:
        return None, False
    value, unit, _text = limit
    if unit == "same_day":
        return OFFICE_DAY_HOURS, False
    if value is None:
        return None, False
    v = float(value)
    if unit in ("working_days", "unknown"):
        return v * OFFICE_DAY_HOURS, False
    if unit == "hours":
        return max(v, 1.0) * OFFICE_DAY_HOURS / NOMINAL_DAY_HOURS, False
    days = v * {"days": 1, "months": 30, "years": 365}.get(unit, 1)
    return days * 24, True


# ---------------------------------------------------------------------------------------------
# One dossier's life
# ---------------------------------------------------------------------------------------------


class Cut(Exception):  # noqa: N818  (control flow: the timeline passed --now)
    pass


class EventRecord:
    """What audit.event_hash reads, without a model instance."""

    __slots__ = (
        "action",
        "actor_id",
        "actor_name",
        "agency_code",
        "at",
        "comment",
        "from_stage",
        "from_status",
        "payload",
        "prev_hash",
        "role",
        "seq",
        "to_stage",
        "to_status",
    )


STATUS = {
    "submitted": 1,
    "refused": 3,
    "appraising": 4,
    "awaiting_approval": 4,
    "awaiting_signature": 4,
    "signed": 4,
    "supplement_requested": 5,
    "supplement_received": 5,
    "stopped": 8,
    "result_ready": 9,
    "returned": 10,
}


class Life:
    """The dossier as the engine would have left it after the events up to `now`."""

    def __init__(self, dossier_id: int, code: str, now: dt.datetime) -> None:
        self.id = dossier_id
        self.code = code
        self.now = now
        self.stage = ""
        self.agency_code = ""
        self.prev = "0" * 64
        self.seq = 0
        self.events: list[str] = []
        self.steps: list[list[Any]] = []
        self.open_step: list[Any] | None = None

    def emit(  # noqa: PLR0917  (the event's fields, in the order of the model)
        self,
        at: dt.datetime,
        action: str,
        actor: Official,
        role: str,
        to_stage: str,
        payload: dict[str, Any],
        comment: str = "",
    ) -> None:
        if at > self.now:
            raise Cut
        from motcua.dossiers.audit import event_hash

        e = EventRecord()
        self.seq += 1
        e.seq = self.seq
        e.actor_id = actor.user_id
        e.actor_name = actor.name
        e.role = role
        e.agency_code = self.agency_code
        e.action = action
        e.from_stage = self.stage
        e.from_status = STATUS[self.stage] if self.stage else None
        e.to_stage = to_stage
        e.to_status = STATUS[to_stage]
        e.at = at
        e.comment = comment
        e.payload = payload
        e.prev_hash = self.prev
        digest = event_hash(e, self.code)  # type: ignore[arg-type]
        self.events.append(
            "\t".join(
                (
                    str(self.seq),
                    copy_text(actor.name),
                    role,
                    self.agency_code,
                    action,
                    self.stage,
                    to_stage,
                    "\\N" if e.from_status is None else str(e.from_status),
                    str(e.to_status),
                    at.isoformat(),
                    copy_text(comment),
                    copy_text(compact(payload)),
                    self.prev,
                    digest,
                    str(actor.user_id),
                    str(self.id),
                )
            )
        )
        self.prev = digest
        self.stage = to_stage

    def start_step(  # noqa: PLR0917
        self, at: dt.datetime, kind: str, order: int, agency: int, role: str, budget: str
    ) -> None:
        due = to_utc(add_work(to_local(at), float(budget) * OFFICE_DAY_HOURS / NOMINAL_DAY_HOURS))
        self.open_step = [order, kind, role, budget, at, due, None, "", agency]
        self.steps.append(self.open_step)

    def finish_step(self, at: dt.datetime) -> None:
        step = self.open_step
        if step is None:
            return
        step[6] = at
        step[7] = outcome(at, step[5])
        self.open_step = None


def outcome(finished: dt.datetime, due: dt.datetime | None) -> str:
    if due is None:
        return ""
    f, d = to_local(finished).date(), to_local(due).date()
    return "early" if f < d else ("on_time" if f == d else "late")


def pick(rng: random.Random, people: list[Official]) -> Official:
    return people[0] if len(people) == 1 else people[rng.randrange(len(people))]


def build_chunk(args: tuple[int, list[tuple[Any, ...]], str]) -> dict[str, Any]:
    """COPY text for the dossiers of one chunk (run in a worker process)."""
    seed, plan, now_iso = args
    rng = random.Random(seed)
    now = dt.datetime.fromisoformat(now_iso)
    out: dict[str, list[str]] = {
        "dossier": [],
        "event": [],
        "step": [],
        "document": [],
        "result": [],
    }
    stats = {"events": 0, "returned": 0}
    for row in plan:
        simulate(rng, now, row, out, stats)
    return {
        "tables": {k: ("\n".join(v) + "\n").encode() if v else b"" for k, v in out.items()},
        "rows": {k: len(v) for k, v in out.items()},
        "returned": stats["returned"],
    }


def _fold(name: str) -> str:
    from motcua.common.text import fold

    return fold(name)


def simulate(  # noqa: PLR0915  (a life is long, read it top to bottom)
    rng: random.Random,
    now: dt.datetime,
    row: tuple[Any, ...],
    out: dict[str, list[str]],
    stats: dict[str, int],
) -> None:
    dossier_id, code, submitted, offering_index, centre_id, channel, citizen_index, doc_base = row
    offering = REF.offerings[offering_index]
    version = REF.versions[offering.version_id]
    centre = REF.agencies[centre_id]
    competent_id = offering.competent_id or centre.parent_id
    assert competent_id is not None
    competent = REF.agencies[competent_id]
    citizen_id, citizen_user, citizen_name, _pid = REF.citizens[citizen_index]
    applicant = Official(0, citizen_user, citizen_name)
    receiver = pick(rng, REF.receivers[centre_id])
    staff = REF.staff[competent_id]
    specialist, leader, clerk = (
        pick(rng, staff["specialist"]),
        staff["leader"][0],
        staff["clerk"][0],
    )
    online_side = channel in ("online", "kiosk")
    submitter = applicant if online_side else receiver
    if channel == "online":
        delivery = rng.choices(("online", "counter", "post"), cum_weights=(50, 90, 100))[0]
    else:
        delivery = "post" if channel == "post" or rng.random() < 0.1 else "counter"
    address = f"{rng.choice(VILLAGES)}, {copy_text(centre.code)}" if delivery == "post" else ""
    life = Life(dossier_id, code, now)
    life.agency_code = centre.code
    d: dict[str, Any] = {
        "accepted_at": None,
        "counted_from": None,
        "due_at": None,
        "due_date": None,
        "previous_due_at": None,
        "paused_at": None,
        "finished_at": None,
        "returned_at": None,
        "outcome": "",
        "supplement_count": 0,
        "flagged": [],
        "explanation": {},
        "plan": False,
        "current": centre_id,
        "resume": "",
    }
    plan_order = {s["kind"]: i for i, s in enumerate(version.plan, start=1)}
    budget = {s["kind"]: s["budget_hours"] for s in version.plan}

    def live() -> None:  # noqa: PLR0912, PLR0915  (returns where a life ends early)
        life.emit(
            submitted,
            "submit",
            submitter,
            "applicant" if online_side else "receiver",
            "submitted",
            {"channel": channel, "competent_agency": competent.code},
        )
        at = submitted
        uploader = submitter
        for i, (requirement_id, _name) in enumerate(version.documents):
            at = at + dt.timedelta(seconds=rng.uniform(5, 90))
            document_id = doc_base + i
            sha = f"{rng.getrandbits(256):064x}"
            size = rng.randint(40_000, 900_000)
            life.emit(
                at,
                "attach_document",
                uploader,
                "",
                "submitted",
                {"document": document_id, "sha256": sha, "requirement": requirement_id},
            )
            out["document"].append(
                f"{document_id}\tgiay-to-{i + 1}.pdf\tapplication/pdf\t{size}\t{sha}\t"
                f"{'t' if not online_side else 'f'}\t{at.isoformat()}\t{dossier_id}\t"
                f"{requirement_id}\t{uploader.user_id}"
            )
        # The counter checks at once; online and postal dossiers within office hours.
        if channel == "counter":
            check = at + dt.timedelta(minutes=rng.uniform(3, 25))
        else:
            check = to_utc(add_work(to_local(at), rng.uniform(0.2, 12)))
        if rng.random() < 0.03:
            life.emit(
                check,
                "refuse",
                receiver,
                "receiver",
                "refused",
                {"reason": "Hồ sơ không thuộc thẩm quyền hoặc không đủ điều kiện tiếp nhận."},
                comment="Đã hướng dẫn công dân.",
            )
            d["finished_at"] = check
            return
        limit = version.limits.get(
            {"online": "online", "post": "post"}.get(channel, "counter")
        ) or version.limits.get("counter")
        if limit is None and version.limits:
            limit = next(iter(version.limits.values()))
        hours, calendar_days = limit_hours(limit)
        check_local = to_local(check)
        if hours is None:
            due = None
        elif calendar_days:
            due_local = check_local + dt.timedelta(hours=hours)
            while due_local.weekday() >= 5:
                due_local += dt.timedelta(days=1)
            due = to_utc(due_local)
        else:
            due = to_utc(add_work(check_local, hours))
        life.agency_code = competent.code
        life.emit(
            check,
            "accept",
            receiver,
            "receiver",
            "appraising",
            {"due_at": due.astimezone(LOCAL_TZ).isoformat() if due else None},
        )
        d["accepted_at"] = d["counted_from"] = check
        d["due_at"] = due
        d["due_date"] = to_local(due).date() if due else None
        d["plan"] = True
        d["current"] = competent_id
        if due is None:
            d["flagged"] = ["no_legal_time_limit"]
            d["explanation"] = {"limit": None, "notes": [APPROXIMATION_NOTE]}
        else:
            value, unit, text = limit  # type: ignore[misc]
            d["explanation"] = {
                "received_at": check.astimezone(LOCAL_TZ).isoformat(),
                "counted_from": check.astimezone(LOCAL_TZ).isoformat(),
                "limit": {"value": value, "unit": unit, "as_published": text, "channel": channel},
                "due": due.astimezone(LOCAL_TZ).isoformat(),
                "due_date": d["due_date"].isoformat(),
                "skipped": [],
                "pauses": [],
                "notes": [APPROXIMATION_NOTE],
            }
        life.steps.append(
            [1, "receive", "receiver", "0", submitted, None, check, "on_time", centre_id]
        )
        life.start_step(
            check,
            "appraise",
            plan_order.get("appraise", 0),
            competent_id,
            "specialist",
            budget.get("appraise", "8"),
        )
        # How long the agency takes: mostly within the limit, some late.
        total = hours if hours and not calendar_days else (hours or 40.0) * 5 / 7 * 7.5 / 24
        r = rng.random()
        share = rng.uniform(0.15, 0.9) if r < 0.72 else rng.uniform(0.9, 1.0) if r < 0.9 else 1.0
        if r >= 0.9:
            share = rng.uniform(1.05, 1.8)
        work = max(total * share, 0.5)
        t_local = check_local
        if rng.random() < 0.08:  # one supplement round during appraisal
            t_local = add_work(t_local, work * 0.25)
            at = to_utc(t_local)
            missing = version.documents[0][1][:200] if version.documents else "Giấy tờ bổ sung"
            life.emit(
                at,
                "request_supplement",
                specialist,
                "specialist",
                "supplement_requested",
                {"items": [missing], "reason": ""},
            )
            life.finish_step(at)
            d["supplement_count"] = 1
            d["resume"] = "appraising"
            d["paused_at"] = at
            paused_local = t_local
            t_local = add_work(t_local, rng.uniform(4, 60))
            at = to_utc(t_local)
            life.emit(
                at,
                "supplement",
                submitter,
                "applicant" if online_side else "receiver",
                "supplement_received",
                {"note": ""},
            )
            t_local = add_work(t_local, rng.uniform(0.2, 8))
            at = to_utc(t_local)
            pause: dict[str, Any] = {}
            if due is not None:
                skipped = workdays_between(paused_local.date(), t_local.date())
                new_due = to_utc(
                    dt.datetime.combine(
                        add_days_skipping_weekends(to_local(due).date(), skipped),
                        to_local(due).time(),
                    )
                )
                pause = {
                    "reason": "supplement",
                    "from": d["paused_at"].isoformat(),
                    "to": at.isoformat(),
                    "previous_due": due.isoformat(),
                    "new_due": new_due.isoformat(),
                }
                d["explanation"]["pauses"] = [pause]
                d["previous_due_at"] = due
                due = d["due_at"] = new_due
                d["due_date"] = to_local(due).date()
            life.emit(
                at,
                "accept_supplement",
                specialist,
                "specialist",
                "appraising",
                {**pause, "restart_step": True},
            )
            d["paused_at"] = None
            d["resume"] = ""
            life.start_step(
                at,
                "appraise",
                plan_order.get("appraise", 0),
                competent_id,
                "specialist",
                budget.get("appraise", "8"),
            )
            work *= 0.75
        t_local = add_work(t_local, work * 0.6)
        at = to_utc(t_local)
        if rng.random() < 0.01:
            life.emit(
                at,
                "stop",
                leader,
                "leader",
                "stopped",
                {"reason": "Công dân đề nghị dừng giải quyết hồ sơ."},
            )
            life.finish_step(at)
            d["finished_at"] = at
            return
        forward = (
            ("appraise", "awaiting_approval", specialist, "specialist", "approve", "leader"),
            ("approve", "awaiting_signature", leader, "leader", "sign", "clerk"),
        )
        for action, target, who, role, next_kind, next_role in forward:
            life.emit(at, action, who, role, target, {})
            life.finish_step(at)
            life.start_step(
                at,
                next_kind,
                plan_order.get(next_kind, 0),
                competent_id,
                next_role,
                budget.get(next_kind, "8"),
            )
            t_local = add_work(t_local, work * (0.15 if action == "appraise" else 0.1))
            at = to_utc(t_local)
        life.emit(at, "sign", clerk, "clerk", "signed", {})
        t_local = add_work(t_local, work * 0.15)
        at = to_utc(t_local)
        result_outcome = outcome(at, due)
        result_code = f"{code}-KQ1"
        life.agency_code = centre.code
        life.emit(
            at,
            "issue_result",
            clerk,
            "clerk",
            "result_ready",
            {"result": result_code, "outcome": result_outcome},
        )
        out["result"].append(
            f"{result_code}\t{copy_text(version.result_name)}\t\t\t{at.isoformat()}\t{dossier_id}"
        )
        life.finish_step(at)
        d["finished_at"] = at
        d["outcome"] = result_outcome
        d["current"] = centre_id
        life.start_step(
            at,
            "return",
            plan_order.get("return", 0),
            centre_id,
            "receiver",
            budget.get("return", "8"),
        )
        if delivery == "online":
            t_local = t_local + dt.timedelta(minutes=rng.uniform(1, 30))
        else:
            t_local = add_work(t_local, rng.uniform(0.5, 30))
        at = to_utc(t_local)
        life.emit(at, "return_result", receiver, "receiver", "returned", {"delivery": delivery})
        life.finish_step(at)
        d["returned_at"] = at
        stats["returned"] += 1

    with contextlib.suppress(Cut):
        live()
    write_dossier(
        out,
        life,
        d,
        offering,
        version,
        centre,
        competent_id,
        citizen_id,
        citizen_name,
        submitter,
        channel,
        submitted,
        delivery,
        address,
    )


def workdays_between(a: dt.date, b: dt.date) -> int:
    n = 0
    while a < b:
        a += dt.timedelta(days=1)
        if a.weekday() < 5:
            n += 1
    return n


def write_dossier(  # noqa: PLR0917  (the dossier row's parts)
    out: dict[str, list[str]],
    life: Life,
    d: dict[str, Any],
    offering: Offering,
    version: Version,
    centre: Agency,
    competent_id: int,
    citizen_id: int,
    citizen_name: str,
    submitter: Official,
    channel: str,
    submitted: dt.datetime,
    delivery: str,
    address: str,
) -> None:
    stage = life.stage
    last_at = submitted
    if d["returned_at"] or d["finished_at"]:
        last_at = d["returned_at"] or d["finished_at"]
    out["event"].extend(life.events)
    for order, kind, role, budget, started, due, finished, result, agency in life.steps:
        out["step"].append(
            f"{order}\t{kind}\t{role}\t{budget}\t{ts(started)}\t{ts(due)}\t{ts(finished)}\t"
            f"{result}\t{agency}\t\\N\t{life.id}\tf"
        )
    paused = d["paused_at"] if stage in ("supplement_requested", "supplement_received") else None
    out["dossier"].append(
        "\t".join(
            (
                str(life.id),
                life.code,
                PROVINCE,
                copy_text(citizen_name),
                version.summary,
                channel,
                str(STATUS[stage]),
                stage,
                d["resume"] if paused else "",
                submitted.isoformat(),
                ts(d["accepted_at"]),
                ts(d["counted_from"]),
                ts(d["due_at"]),
                "\\N" if d["due_date"] is None else d["due_date"].isoformat(),
                ts(d["previous_due_at"]),
                ts(paused),
                ts(d["finished_at"]),
                ts(d["returned_at"]),
                d["outcome"],
                str(d["supplement_count"]),
                "0",
                compact(d["flagged"]),
                copy_text(compact(d["explanation"])),
                version.plan_json if d["plan"] else "[]",
                delivery,
                address,
                str(life.seq),  # row_version: one per recorded event, as the engine counts
                str(life.seq),  # the audit chain's head: its last event's number and hash
                life.prev,
                last_at.isoformat(),
                "\\N",
                str(citizen_id),
                "\\N",
                str(competent_id),
                str(d["current"]),
                str(offering.procedure_id),
                str(offering.version_id),
                str(centre.id),
                str(centre.unit_id),
                str(submitter.user_id),
                "self",  # filed by the applicant (a citizen files for themselves here)
                "",
                copy_text(_fold(citizen_name)),
                "",  # claim code: only dossiers taken for a person without an account have one
            )
        )
    )


# ---------------------------------------------------------------------------------------------
# Citizens
# ---------------------------------------------------------------------------------------------


def personal_id(rng: random.Random, codes: list[str], cum: list[int]) -> tuple[str, dt.date, bool]:
    code = rng.choices(codes, cum_weights=cum)[0]
    year = rng.randint(1945, 2007)
    female = rng.random() < 0.5
    century = (year - 1900) // 100 * 2 + (1 if female else 0)
    number = f"{code}{century}{year % 100:02d}{rng.randrange(1_000_000):06d}"
    birth = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    return number, birth, female


def make_citizens(cur: Any, count: int, rng: random.Random) -> None:
    """COPY `count` citizens (user + profile); REF.citizens lists every citizen to draw from."""
    cur.execute("SELECT coalesce(max(id), 0) FROM accounts_user")
    user_base = cur.fetchone()[0] + 1
    cur.execute("SELECT coalesce(max(id), 0) FROM accounts_citizen")
    citizen_base = cur.fetchone()[0] + 1
    cur.execute("SELECT personal_id FROM accounts_citizen")
    taken = {r[0] for r in cur.fetchall()}
    codes = [c for c, _w in BIRTH_CODES]
    cum = list(itertools.accumulate(w for _c, w in BIRTH_CODES))
    joined = "2023-11-01T00:00:00+00:00"
    users, citizens = [], []
    for i in range(count):
        while True:
            number, birth, female = personal_id(rng, codes, cum)
            if number not in taken:
                taken.add(number)
                break
        name = person_name(rng, female)
        user_id, citizen_id = user_base + i, citizen_base + i
        phone = f"0{rng.choice('389')}{rng.randrange(10**8):08d}"
        users.append(
            f"{user_id}\t!\t\\N\tf\tbench.c{user_id}\t{name}\t\t\tf\tt\t{joined}\tcitizen\tf"
        )
        citizens.append(
            f"{citizen_id}\t{name}\t{number}\t{birth.isoformat()}\t{phone}\t"
            f"{rng.choice(VILLAGES)}, tỉnh Tuyên Quang\t{'t' if rng.random() < 0.6 else 'f'}\t"
            f"{joined}\t{user_id}"
        )
    copy_block(cur, "accounts_user", USER_COLUMNS, users)
    copy_block(cur, "accounts_citizen", CITIZEN_COLUMNS, citizens)
    cur.execute("SELECT id, user_id, full_name, personal_id FROM accounts_citizen ORDER BY id")
    REF.citizens = [(r[0], r[1], r[2], r[3]) for r in cur.fetchall()]


USER_COLUMNS = (
    "id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, "
    "is_active, date_joined, kind, awaiting_confirmation"
)
CITIZEN_COLUMNS = (
    "id, full_name, personal_id, date_of_birth, phone, address, vneid_verified, created_at, user_id"
)
COLUMNS = {
    "dossier": (
        "dossiers_dossier",
        "id, code, province_code, applicant_name, summary, channel, status, stage, resume_stage, "
        "submitted_at, accepted_at, counted_from, due_at, due_date, previous_due_at, paused_at, "
        "finished_at, returned_at, outcome, supplement_count, reschedule_count, flagged, "
        "due_explanation, process_plan, delivery_method, delivery_address, row_version, "
        "audit_seq, audit_head, updated_at, applicant_business_id, applicant_citizen_id, "
        "assignee_id, "
        "competent_agency_id, current_agency_id, procedure_id, procedure_version_id, "
        "receiving_agency_id, receiving_unit_id, submitted_by_id, filed_as, delegation_reason, "
        "applicant_name_folded, claim_code",
    ),
    "event": (
        "dossiers_dossierevent",
        "seq, actor_name, role, agency_code, action, from_stage, to_stage, from_status, "
        "to_status, at, comment, payload, prev_hash, hash, actor_id, dossier_id",
    ),
    "step": (
        "dossiers_dossierstep",
        '"order", kind, role, budget_hours, started_at, due_at, finished_at, outcome, agency_id, '
        "assignee_id, dossier_id, interrupted",
    ),
    "document": (
        "dossiers_dossierdocument",
        "id, file_name, content_type, size, sha256, digitised, uploaded_at, dossier_id, "
        "requirement_id, uploaded_by_id",
    ),
    "result": (
        "dossiers_dossierresult",
        "code, name, document_number, file_sha256, issued_at, dossier_id",
    ),
}


def copy_block(cur: Any, table: str, columns: str, lines: list[str] | bytes) -> None:
    data = lines if isinstance(lines, bytes) else ("\n".join(lines) + "\n").encode()
    if not data.strip():
        return
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for start in range(0, len(data), 1 << 20):
            copy.write(data[start : start + (1 << 20)])


# ---------------------------------------------------------------------------------------------
# The plan: who submits what, where, when; codes and ids
# ---------------------------------------------------------------------------------------------


def make_plan(
    cur: Any, count: int, rng: random.Random, now: dt.datetime
) -> tuple[list[tuple[Any, ...]], dict[tuple[int, dt.date], int]]:
    now_local = to_local(now)
    last_day = min(WINDOW_END, now_local.date())
    days = [WINDOW_START + dt.timedelta(days=i) for i in range((last_day - WINDOW_START).days + 1)]
    span = max(len(days) - 1, 1)
    # Slowly growing volume (+40 % over the window); counters and post on working days only.
    growth = [1 + 0.4 * i / span for i in range(len(days))]
    weekdays = [d for d in days if d.weekday() < 5]
    weekday_cum = list(
        itertools.accumulate(g for d, g in zip(days, growth, strict=True) if d.weekday() < 5)
    )
    all_cum = list(
        itertools.accumulate(
            g * (1.0 if d.weekday() < 5 else 0.35) for d, g in zip(days, growth, strict=True)
        )
    )
    channels = rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS], k=count)
    offer_cum = list(itertools.accumulate(o.weight for o in REF.offerings))
    offerings = rng.choices(range(len(REF.offerings)), cum_weights=offer_cum, k=count)
    commune_cum = list(itertools.accumulate(REF.commune_weights))
    citizens = len(REF.citizens)
    rows = []
    for i in range(count):
        channel = channels[i]
        offering = REF.offerings[offerings[i]]
        if offering.level == "commune":
            centre = REF.commune_centres[bisect.bisect(commune_cum, rng.random() * commune_cum[-1])]
        else:
            centre = REF.provincial_centre
        local = now_local + dt.timedelta(days=1)
        while local > now_local:  # today only up to now: draw again
            if channel == "online":
                day = days[bisect.bisect(all_cum, rng.random() * all_cum[-1])]
                minute = rng.uniform(360, 1380) if rng.random() < 0.8 else rng.uniform(0, 1440)
            else:
                day = weekdays[bisect.bisect(weekday_cum, rng.random() * weekday_cum[-1])]
                minute = rng.uniform(0, 450)
                minute += 450 if minute < 240 else 540  # 7:30–11:30, then 13:30–17:00
            local = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
        applicant = int(citizens * rng.random() ** 1.6)  # some people file many dossiers
        rows.append((to_utc(local), offerings[i], centre, channel, applicant))
    rows.sort(key=lambda r: r[0])
    cur.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossier")
    dossier_id = cur.fetchone()[0] + 1
    cur.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossierdocument")
    document_id = cur.fetchone()[0] + 1
    cur.execute("SELECT agency_id, day, last FROM dossiers_dossiercounter")
    counters: dict[tuple[int, dt.date], int] = {(a, d): n for a, d, n in cur.fetchall()}
    plan = []
    for submitted, offering_index, centre, channel, applicant in rows:
        day = to_local(submitted).date()
        key = (centre, day)
        number = counters.get(key, 0) + 1
        counters[key] = number
        code = f"{REF.agencies[centre].code}-{day:%y%m%d}-{number:04d}"
        plan.append(
            (dossier_id, code, submitted, offering_index, centre, channel, applicant, document_id)
        )
        dossier_id += 1
        document_id += len(REF.versions[REF.offerings[offering_index].version_id].documents)
    return plan, counters


# ---------------------------------------------------------------------------------------------
# Indexes: dropped before the load, rebuilt after it
# ---------------------------------------------------------------------------------------------


def drop_indexes(cur: Any) -> list[str]:
    """Drop the foreign keys, unique constraints and secondary indexes of the filled tables;
    returns the statements that rebuild them (constraints after indexes, foreign keys last)."""
    names = ", ".join(f"'{t}'" for t in TABLES)
    cur.execute(
        f"""SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid::regclass::text IN ({names})
            AND contype IN ('f', 'u')"""
    )
    constraints = cur.fetchall()
    cur.execute(
        f"""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i WHERE i.indrelid::regclass::text IN ({names})
            AND NOT i.indisprimary
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                            AND c.contype IN ('u', 'p', 'x'))"""
    )
    indexes = cur.fetchall()
    rebuild = [definition for _name, definition in indexes]
    rebuild += [
        f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, kind, d in constraints if kind == "u"
    ]
    rebuild += [
        f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, kind, d in constraints if kind == "f"
    ]
    for t, n, _kind, _d in sorted(constraints, key=lambda c: c[2] != "f"):
        cur.execute(f'ALTER TABLE {t} DROP CONSTRAINT "{n}"')
    for name, _definition in indexes:
        cur.execute(f"DROP INDEX {name}")
    return rebuild


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", maxsplit=1)[0]
    if not name.startswith("motcua_bench"):
        sys.exit(f"refusing to fill {name!r}: benchmark databases are named motcua_bench_*")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def prepare_schema() -> None:
    from django.core.management import call_command

    from motcua.catalog.models import Procedure

    call_command("migrate", verbosity=0)
    if not Procedure.objects.exists():
        print("migrated; loading units, demo province, catalogue and demo accounts (setup_demo)")
        call_command("setup_demo", verbosity=1)


def main() -> None:  # noqa: PLR0915  (one linear script)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", "-n", type=int, default=1_000_000)
    parser.add_argument("--citizens", type=int, help="default: dossiers / 5 (at least 1000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--create", action="store_true", help="create, migrate and setup_demo")
    parser.add_argument("--now", help="ISO date-time the history runs up to (default: now)")
    parser.add_argument("--workers", type=int, default=2, help="processes building rows")
    parser.add_argument("--chunk", type=int, default=5000, help="dossiers per COPY batch")
    parser.add_argument("--verify-sample", type=int, default=300, help="chains checked after")
    args = parser.parse_args()

    started = time.perf_counter()
    if args.create:
        ensure_database(args.database_url)
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
            "MOTCUA_LOG_LEVEL": "WARNING",
            "MOTCUA_TESTING": os.environ.get("MOTCUA_TESTING", "1"),
        }
    )
    import django

    django.setup()
    import psycopg
    from django.db import connections
    from tqdm import tqdm

    if args.create:
        prepare_schema()
    now = dt.datetime.fromisoformat(args.now) if args.now else dt.datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=LOCAL_TZ)
    now = now.astimezone(UTC)
    rng = random.Random(args.seed)
    load_reference(rng)
    ensure_officials(rng)
    connections.close_all()  # the workers are forked: no shared connection
    citizens = args.citizens or max(1000, args.dossiers // 5)
    timings: dict[str, float] = {}
    totals = {"dossier": 0, "event": 0, "step": 0, "document": 0, "result": 0}
    returned = 0
    with psycopg.connect(args.database_url.replace("postgres://", "postgresql://", 1)) as conn:
        cur = conn.cursor()
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute(f"LOCK TABLE {', '.join(TABLES)} IN SHARE ROW EXCLUSIVE MODE")
        rebuild = drop_indexes(cur)
        t = time.perf_counter()
        make_citizens(cur, citizens, rng)
        timings["citizens"] = time.perf_counter() - t
        print(f"{citizens:,} citizens in {timings['citizens']:.1f} s")
        t = time.perf_counter()
        plan, counters = make_plan(cur, args.dossiers, rng, now)
        timings["plan"] = time.perf_counter() - t
        print(f"plan of {len(plan):,} dossiers in {timings['plan']:.1f} s")
        chunks = [
            (args.seed * 1_000_003 + i, plan[start : start + args.chunk], now.isoformat())
            for i, start in enumerate(range(0, len(plan), args.chunk))
        ]
        del plan
        t = time.perf_counter()
        context = multiprocessing.get_context("fork")
        with (
            context.Pool(args.workers) as pool,
            tqdm(total=args.dossiers, unit="dossier", smoothing=0.05) as bar,
        ):
            for result in pool.imap(build_chunk, chunks):
                for kind, data in result["tables"].items():
                    copy_block(cur, COLUMNS[kind][0], COLUMNS[kind][1], data)
                    totals[kind] += result["rows"][kind]
                returned += result["returned"]
                bar.update(result["rows"]["dossier"])
        timings["rows"] = time.perf_counter() - t
        rate = args.dossiers / timings["rows"]
        print(
            f"{totals['dossier']:,} dossiers, {totals['event']:,} events, {totals['step']:,} "
            f"steps, {totals['document']:,} documents, {totals['result']:,} results in "
            f"{timings['rows']:.1f} s: {rate:,.0f} dossiers/s, "
            f"{totals['event'] / timings['rows']:,.0f} events/s"
        )
        t = time.perf_counter()
        cur.execute("CREATE TEMP TABLE bench_counter (agency_id bigint, day date, last int)")
        copy_block(
            cur,
            "bench_counter",
            "agency_id, day, last",
            [f"{a}\t{d.isoformat()}\t{n}" for (a, d), n in counters.items()],
        )
        for statement in tqdm(rebuild, desc="indexes and constraints", unit="index"):
            cur.execute(statement)
        cur.execute(
            """INSERT INTO dossiers_dossiercounter (agency_id, day, last)
               SELECT agency_id, day, last FROM bench_counter
               ON CONFLICT (agency_id, day)
               DO UPDATE SET last = GREATEST(dossiers_dossiercounter.last, EXCLUDED.last)"""
        )
        for table in (*TABLES, "dossiers_dossiercounter"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        conn.commit()
        timings["indexes"] = time.perf_counter() - t
        print(f"indexes, constraints, counters, sequences in {timings['indexes']:.1f} s")
    t = time.perf_counter()
    with psycopg.connect(
        args.database_url.replace("postgres://", "postgresql://", 1), autocommit=True
    ) as conn:
        for table in (*TABLES, "dossiers_dossiercounter"):
            conn.execute(f"VACUUM ANALYZE {table}")
    timings["vacuum"] = time.perf_counter() - t
    total = time.perf_counter() - started
    print(
        f"VACUUM ANALYZE in {timings['vacuum']:.1f} s. Total {total:.1f} s for "
        f"{args.dossiers:,} dossiers ({args.dossiers / total:,.0f} dossiers/s overall); "
        f"{returned:,} returned."
    )
    if args.verify_sample:
        verify_sample(args.verify_sample, rng)


def verify_sample(count: int, rng: random.Random) -> None:
    """Recompute the chains of a random sample with the engine's own check."""
    from motcua.dossiers.audit import verify_chain
    from motcua.dossiers.models import Dossier

    top = Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(count)]
    sample = list(Dossier.objects.filter(id__in=ids).only("id", "code"))
    problems = [p for p in (verify_chain(d) for d in sample) if p is not None]
    print(f"audit chains of {len(sample)} random dossiers: {len(problems)} broken")
    for p in problems[:10]:
        print(f"  {p.dossier_code} #{p.seq}: {p.reason}")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
