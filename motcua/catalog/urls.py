from django.urls import path

from motcua.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.procedure_search, name="search"),
    path("<str:code>/", views.procedure_detail, name="detail"),
    path("<str:code>/in/", views.procedure_handbook, name="handbook"),
    path("<str:code>/qr.svg", views.procedure_qr, name="qr"),
]
