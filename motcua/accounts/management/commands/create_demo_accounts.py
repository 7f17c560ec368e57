"""Create (or refresh) one demo login per role, for trying the system out locally.

    manage.py create_demo_accounts --centre-agency H08.01 --department-agency H08.10 \
        --province-agency H08

The password is MOTCUA_DEMO_PASSWORD or, when that is unset, one generated on the first run into
var/demo_password (mode 600) and read from there ever after, so every run prints the same login.

Idempotent: an existing demo account keeps its profile, and its password is left alone when it
is already the demo password (so its sessions stay valid) and reset to it otherwise; a missing
role membership is added. Nothing is ever deleted. The agencies must exist already (the units
loader seeds them), and are all checked before anything is written.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts.actions import (
    check_password,
    do_create_official,
    do_grant_role,
    do_register_business,
    do_register_citizen,
    do_set_password,
)
from motcua.accounts.models import Business, Citizen, Role, User, UserKind
from motcua.accounts.queries import official_has_role
from motcua.common.errors import DomainError
from motcua.units.models import Agency


@dataclass(frozen=True)
class DemoOfficial:
    username: str
    full_name: str
    position_title: str
    role: Role
    agency_option: str
    superuser: bool = False


DEMO_OFFICIALS = (
    DemoOfficial(
        "demo.receiver", "Lê Thị Thu Hà", "Cán bộ tiếp nhận", Role.RECEIVER, "centre_agency"
    ),
    DemoOfficial(
        "demo.specialist", "Phạm Văn Đức", "Chuyên viên", Role.SPECIALIST, "department_agency"
    ),
    DemoOfficial(
        "demo.leader", "Trần Quốc Huy", "Phó Giám đốc Sở", Role.LEADER, "department_agency"
    ),
    DemoOfficial("demo.clerk", "Hoàng Thị Ngọc Ánh", "Văn thư", Role.CLERK, "department_agency"),
    DemoOfficial(
        "demo.manager", "Vũ Minh Tuấn", "Chánh Văn phòng", Role.MANAGER, "province_agency"
    ),
    DemoOfficial(
        "demo.admin",
        "Đặng Thị Phương",
        "Quản trị hệ thống",
        Role.ADMINISTRATOR,
        "province_agency",
        superuser=True,
    ),
)

# 001 Hà Nội, digit 4 = 1 (female, 1900s), 90 = born 1990; checked by identifiers.py like any
# other number.
DEMO_CITIZEN_USERNAME = "demo.citizen"
DEMO_CITIZEN_NAME = "Nguyễn Thị Hoà"
DEMO_CITIZEN_ID = "001190012345"
DEMO_CITIZEN_BIRTH = dt.date(1990, 3, 15)
DEMO_CITIZEN_ADDRESS = "Số 1 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội"

# Check digit: 10 − (Σ of 0,1,0,1,2,3,4,5,6 × 31,29,23,19,17,13,7,5,3 mod 11) = 5.
DEMO_BUSINESS_USERNAME = "demo.business"
DEMO_BUSINESS_NAME = "Công ty TNHH Dịch vụ Một Cửa (demo)"
DEMO_BUSINESS_TAX_CODE = "0101234565"
DEMO_BUSINESS_ADDRESS = "Số 2 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội"


def demo_password() -> str:
    """MOTCUA_DEMO_PASSWORD, else the password generated once into var/demo_password.

    A new random password on every run would log everyone out and make the login printed by an
    earlier `make run` wrong; keeping it in a file readable only by its owner, like the secret
    key, gives a stable login without putting a password in the configuration.
    """
    if settings.MOTCUA_DEMO_PASSWORD:
        return str(settings.MOTCUA_DEMO_PASSWORD)
    path = Path(settings.VAR_DIR) / "demo_password"
    if path.exists() and (stored := path.read_text(encoding="utf-8").strip()):
        return stored
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    try:
        # O_EXCL: of two first runs at once, one writes and the other reads what it wrote.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(password + "\n")
    return password


class Command(BaseCommand):
    help = (
        "Create or refresh the demo accounts (one per role, plus a citizen and a business) and "
        "print their usernames and password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--centre-agency",
            metavar="CODE",
            help="Service centre agency code: the receiver (e.g. H08.01).",
        )
        parser.add_argument(
            "--department-agency",
            metavar="CODE",
            help="Department agency code: specialist, leader and clerk (e.g. H08.10).",
        )
        parser.add_argument(
            "--province-agency",
            metavar="CODE",
            help="Provincial committee code: manager and administrator (e.g. H08).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = self._resolve_agencies(options)
        password = demo_password()
        self._check_before_writing(password)
        try:
            lines = [self._official(spec, password, agencies) for spec in DEMO_OFFICIALS]
            lines.append(self._citizen(password))
            lines.append(self._business(password))
        except DomainError as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write("Demo accounts:")
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Demo password (all accounts): {password}")

    def _resolve_agencies(self, options: dict[str, Any]) -> dict[str, Agency | None]:
        agencies: dict[str, Agency | None] = {}
        for option in ("centre_agency", "department_agency", "province_agency"):
            code = options.get(option)
            if not code:
                agencies[option] = None
                continue
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                flag = "--" + option.replace("_", "-")
                raise CommandError(
                    f"{flag}: there is no agency with the code {code!r}. Load the units and "
                    "agencies first, or pass the code of an existing agency."
                )
            agencies[option] = agency
        return agencies

    def _check_before_writing(self, password: str) -> None:
        """Refuse before any write: a weak password, or a demo username or demo identifier
        held by an account of another kind (someone's real data)."""
        try:
            check_password(password, username="demo")
        except DomainError as exc:
            raise CommandError(f"MOTCUA_DEMO_PASSWORD is not acceptable: {exc}") from None
        expected = {spec.username: UserKind.OFFICIAL for spec in DEMO_OFFICIALS}
        expected[DEMO_CITIZEN_USERNAME] = UserKind.CITIZEN
        expected[DEMO_BUSINESS_USERNAME] = UserKind.BUSINESS
        for user in User.objects.filter(username__in=expected).select_related(
            "official", "citizen", "business"
        ):
            kind = expected[user.username]
            if user.kind != kind or not hasattr(user, kind):
                raise CommandError(
                    f"The account {user.username!r} exists but is not a complete {kind} "
                    "account; rename or remove it first."
                )
        holder = (
            Citizen.objects.filter(personal_id=DEMO_CITIZEN_ID, user__isnull=False)
            .select_related("user")
            .first()
        )
        if holder is not None and holder.user.username != DEMO_CITIZEN_USERNAME:  # type: ignore[union-attr]
            raise CommandError("The demo personal ID number belongs to another account.")
        business = (
            Business.objects.filter(tax_code=DEMO_BUSINESS_TAX_CODE).select_related("user").first()
        )
        if business is not None and business.user.username != DEMO_BUSINESS_USERNAME:
            raise CommandError("The demo tax code belongs to another account.")

    def _official(
        self, spec: DemoOfficial, password: str, agencies: dict[str, Agency | None]
    ) -> str:
        user = User.objects.filter(username=spec.username).select_related("official").first()
        if user is None:
            official = do_create_official(
                username=spec.username,
                password=password,
                full_name=spec.full_name,
                position_title=spec.position_title,
                is_staff=spec.superuser,
                is_superuser=spec.superuser,
                acting_user=None,
            )
        else:
            _keep_password(user, password)
            official = user.official
        agency = agencies[spec.agency_option]
        if agency is None:
            return f"{spec.username:<16} {spec.role.label} (no agency given: role not granted)"
        if not official_has_role(official, agency, spec.role):
            do_grant_role(official, agency, spec.role, acting_user=None)
        suffix = ", Django admin" if spec.superuser else ""
        return f"{spec.username:<16} {spec.role.label} @ {agency.code}{suffix}"

    def _citizen(self, password: str) -> str:
        user = User.objects.filter(username=DEMO_CITIZEN_USERNAME).first()
        if user is None:
            do_register_citizen(
                username=DEMO_CITIZEN_USERNAME,
                password=password,
                full_name=DEMO_CITIZEN_NAME,
                personal_id=DEMO_CITIZEN_ID,
                date_of_birth=DEMO_CITIZEN_BIRTH,
                address=DEMO_CITIZEN_ADDRESS,
            )
        else:
            _keep_password(user, password)
        return f"{DEMO_CITIZEN_USERNAME:<16} {UserKind.CITIZEN.label}: {DEMO_CITIZEN_NAME}"

    def _business(self, password: str) -> str:
        user = User.objects.filter(username=DEMO_BUSINESS_USERNAME).first()
        if user is None:
            do_register_business(
                username=DEMO_BUSINESS_USERNAME,
                password=password,
                name=DEMO_BUSINESS_NAME,
                tax_code=DEMO_BUSINESS_TAX_CODE,
                address=DEMO_BUSINESS_ADDRESS,
            )
        else:
            _keep_password(user, password)
        return f"{DEMO_BUSINESS_USERNAME:<16} {UserKind.BUSINESS.label}: {DEMO_BUSINESS_NAME}"


def _keep_password(user: User, password: str) -> None:
    """Set the demo password only if it is not already the account's: setting it again would
    rehash it and end the account's sessions (Django ties them to the hash)."""
    if not user.check_password(password):
        do_set_password(user, password, acting_user=None)
