"""Official slips as PDF (forms 01–06) and the dossier register as XLSX (form 07).

`issue_slip(dossier, kind)` returns the stored slip for the dossier's current data, issuing a
new version when the data changed; `render_register(agency, start, end)` builds the register;
`available_kinds(dossier)` lists the slips a dossier has a reason for now.
"""

from motcua.dossiers.slips.data import available_kinds
from motcua.dossiers.slips.issuing import issue_slip, read_slip
from motcua.dossiers.slips.register import render_register

__all__ = ["available_kinds", "issue_slip", "read_slip", "render_register"]
