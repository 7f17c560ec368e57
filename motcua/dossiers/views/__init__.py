"""Dossier pages, one module per audience (ARCHITECTURE.md, "Pages by audience"): `office`
for officials (/can-bo/), `public` for anyone (/tra-cuu/), `applicant` and `submission` for the
signed-in citizen or business (/ho-so/). Each reaches dossiers only through its own access rule.
"""
