from django.urls import path

from motcua.dossiers.views import office as views
from motcua.dossiers.views import office_dossier

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("ho-so/<str:code>/", office_dossier.dossier_page, name="office_dossier"),
    path("xin-loi/", views.apology_list, name="apologies"),
    path("xin-loi/<int:apology_id>/duyet/", views.apology_approve, name="approve_apology"),
]
