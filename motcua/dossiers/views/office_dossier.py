"""The officials' dossier page: what the dossier holds, what happened, what this official may do.

Thin views over the engine: visibility through `access.access_dossier`, the lists through
`queries.load_related`, the next actions through `queries.next_actions`. Anonymous visitors are
sent to the sign-in page; signed-in citizens and businesses get a 403 page; an official who may
not see the dossier gets the same 404 as for a code that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from motcua.dossiers import backoffice, queries
from motcua.dossiers.access import access_dossier
from motcua.dossiers.errors import DossierNotFoundError
from motcua.dossiers.labels import STAGE_LABELS
from motcua.dossiers.workflow import Stage


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/inbox_forbidden.html", status=403)


@require_safe
@login_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    viewer = backoffice.viewer_of(request.user)  # type: ignore[arg-type]
    if viewer is None:
        return _forbidden(request)
    try:
        dossier = access_dossier(viewer, code[:60])
    except DossierNotFoundError:
        raise Http404(code) from None
    queries.load_related(dossier)
    queries.log_read(dossier, viewer, via="page")
    return render(
        request,
        "dossiers/office/dossier.html",
        {"dossier": dossier, "stage_label": STAGE_LABELS[Stage(dossier.stage)]},
    )
