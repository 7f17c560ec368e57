from django.urls import path

from motcua.dossiers.views import office as views

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("xin-loi/", views.apology_list, name="apologies"),
    path("xin-loi/<int:apology_id>/duyet/", views.apology_approve, name="approve_apology"),
]
