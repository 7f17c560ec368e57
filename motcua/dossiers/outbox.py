"""The national portal's sync record (DongBoHoSoMC, DOMAIN.md Appendix A), built from a dossier.

Written to the outbox in the same transaction as the change; a consumer in `integrations` sends
it later, never inside the user's request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from motcua.dossiers.models import Dossier

# KenhThucHien: 1 direct at the counter, 2 online, 3 public postal service (DOMAIN §1.2).
CHANNEL_CODES = {"counter": 1, "kiosk": 1, "online": 2, "post": 3}
DELIVERY_CODES = {"counter": 1, "post": 3, "online": 2}


def _portal_time(moment: dt.datetime | None) -> str | None:
    """The portal's yyyyMMddHHmmss, in Vietnamese local time."""
    return timezone.localtime(moment).strftime("%Y%m%d%H%M%S") if moment else None


def sync_payload(dossier: Dossier) -> dict[str, Any]:
    version = dossier.procedure_version
    citizen, business = dossier.applicant_citizen, dossier.applicant_business
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.national_code,
        "TenTTHC": version.name,
        "TenLinhVuc": version.field.name if version.field else "",
        "KenhThucHien": CHANNEL_CODES[dossier.channel],
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": 1 if citizen else 2,
        "SoGiayToChuHoSo": citizen.personal_id
        if citizen
        else (business.tax_code if business else ""),
        "TrichYeuHoSo": dossier.summary,
        "NgayNopHoSo": _portal_time(dossier.submitted_at),
        "NgayTiepNhan": _portal_time(dossier.accepted_at),
        "NgayHenTra": _portal_time(dossier.due_at),
        "TrangThaiHoSo": dossier.status,
        "NgayKetThucXuLy": _portal_time(dossier.finished_at),
        "NgayTra": _portal_time(dossier.returned_at),
        "HinhThuc": DELIVERY_CODES[dossier.delivery_method],
        "DonViXuLy": dossier.current_agency.code,
        "NoiNopHoSo": dossier.receiving_agency.code,
    }
