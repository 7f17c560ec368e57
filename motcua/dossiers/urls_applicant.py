"""The signed-in applicant's pages (/ho-so/): submitting online and following one's dossiers."""

from django.urls import URLPattern, path

from motcua.dossiers.views import applicant, submission

app_name = "applicant"

urlpatterns: list[URLPattern] = [
    # Online submission, under /ho-so/nop/ (the receipt first: "bien-nhan" is no procedure code).
    path("nop/bien-nhan/<str:dossier_code>/", submission.submit_receipt, name="submit_receipt"),
    path("nop/<str:code>/", submission.submit_details, name="submit_details"),
    path("nop/<str:code>/giay-to/", submission.submit_documents, name="submit_documents"),
    path("nop/<str:code>/xem-lai/", submission.submit_review, name="submit_review"),
    # Following one's dossiers (views/applicant.py). "<str:code>/" takes any single segment:
    # fixed paths such as "nop/…" go above this block.
    path("", applicant.dossier_list, name="list"),
    path("<str:code>/", applicant.dossier_detail, name="detail"),
    path("<str:code>/tai-len/", applicant.my_upload, name="my_upload"),
    path("<str:code>/thao-tac/", applicant.my_action, name="my_action"),
    path("<str:code>/danh-gia/", applicant.my_rating, name="my_rating"),
    path("<str:code>/ket-qua/<str:result>/", applicant.my_result, name="my_result"),
]
