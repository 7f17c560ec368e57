"""Public pages about dossiers, for anyone without signing in (/tra-cuu/)."""

from django.urls import URLPattern, path

from motcua.dossiers.views import public

app_name = "tracking"

urlpatterns: list[URLPattern] = [
    path("", public.lookup, name="lookup"),
    path("<str:code>/", public.dossier, name="dossier"),
    # The slips' QR code prints the address without the slash (slips.data.tracking_url): served
    # as it is, without a redirect, for the phones on slow networks that scan it.
    path("<str:code>", public.dossier, name="dossier-as-printed"),
]
