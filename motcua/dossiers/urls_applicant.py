"""The signed-in applicant's pages (/ho-so/): submitting online and following one's dossiers."""

from django.urls import path

from motcua.dossiers.views import applicant

app_name = "applicant"

urlpatterns = [
    # Following one's dossiers (views/applicant.py). "<str:code>/" takes any single segment:
    # fixed paths such as "nop/…" go above this block.
    path("", applicant.dossier_list, name="list"),
    path("<str:code>/", applicant.dossier_detail, name="detail"),
    path("<str:code>/tai-len/", applicant.my_upload, name="my_upload"),
    path("<str:code>/thao-tac/", applicant.my_action, name="my_action"),
    path("<str:code>/danh-gia/", applicant.my_rating, name="my_rating"),
    path("<str:code>/ket-qua/<str:result>/", applicant.my_result, name="my_result"),
]
