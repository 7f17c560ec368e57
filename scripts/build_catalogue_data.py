"""Build the catalogue seed the project carries, from ../shared/data/procedures/.

    python scripts/build_catalogue_data.py ../shared/data/procedures

Writes motcua/catalog/data/national-catalogue-2026-07-local.json.gz: the province- and
commune-level records of the national portal's file, unchanged (so importing the full file later
finds them unchanged), and motcua/catalog/data/usage-weights.json: the national portal's usage
counter per procedure code (the larger of the citizen and business lists), for those records.
Sources: National Public Service Portal, July 2026 (public government information, as scraped by
the chatbot_tthc project); usage weights from makecolour/SongGio (MIT).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "motcua" / "catalog" / "data"
LOCAL_LEVELS = ("Cấp tỉnh", "Cấp xã")


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/procedures")
    records = json.loads((src / "national-catalogue-2026-07.json").read_text(encoding="utf-8"))
    local = [r for r in records if any(level in r["cap_thuc_hien"] for level in LOCAL_LEVELS)]
    codes = {r["ma_thu_tuc"] for r in local}
    usage: dict[str, int] = {}
    for name in ("usage-weights-citizens.json", "usage-weights-businesses.json"):
        for row in json.loads((src / name).read_text(encoding="utf-8")):
            code = row["TTHC_MA"].strip()
            if code in codes:
                usage[code] = max(usage.get(code, 0), int(row["WEIGHT"]))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(local, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    target = OUT_DIR / "national-catalogue-2026-07-local.json.gz"
    with target.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(payload)
    (OUT_DIR / "usage-weights.json").write_text(
        json.dumps(dict(sorted(usage.items())), ensure_ascii=False, indent=0) + "\n",
        encoding="utf-8",
    )
    print(f"{len(local)} of {len(records)} records, {len(usage)} usage weights -> {OUT_DIR}")


if __name__ == "__main__":
    main()
