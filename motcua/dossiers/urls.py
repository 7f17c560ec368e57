from django.urls import path

from motcua.accounts import delegation_views
from motcua.dossiers.views import intake, office_dossier
from motcua.dossiers.views import office as views

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("ho-so/<str:code>/", office_dossier.dossier_page, name="office_dossier"),
    path("ho-so/<str:code>/xu-ly/", office_dossier.dossier_act, name="office_dossier_act"),
    path(
        "ho-so/<str:code>/giay-to/<int:document_id>/",
        office_dossier.dossier_document,
        name="office_dossier_document",
    ),
    path(
        "ho-so/<str:code>/ket-qua/<str:result_code>/",
        office_dossier.dossier_result_file,
        name="office_dossier_result",
    ),
    path("tiep-nhan/", intake.intake_start, name="intake_start"),
    path("tiep-nhan/<str:procedure_code>/", intake.intake_form, name="intake_form"),
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
