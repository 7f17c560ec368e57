from django.urls import path

from motcua.accounts import delegation_views
from motcua.dossiers.views import office as views
from motcua.dossiers.views import office_dossier

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("ho-so/<str:code>/", office_dossier.dossier_page, name="office_dossier"),
    path("xin-loi/", views.apology_list, name="apologies"),
    path("xin-loi/<int:apology_id>/duyet/", views.apology_approve, name="approve_apology"),
    path("uy-quyen/", delegation_views.delegation_list, name="delegation_list"),
    path("uy-quyen/moi/", delegation_views.delegation_create, name="delegation_create"),
    path(
        "uy-quyen/<int:delegation_id>/thu-hoi/",
        delegation_views.delegation_revoke,
        name="delegation_revoke",
    ),
]
