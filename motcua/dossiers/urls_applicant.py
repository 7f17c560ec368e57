"""The signed-in applicant's pages (/ho-so/): submitting online and following one's dossiers."""

from django.urls import URLPattern, path

from motcua.dossiers.views import submission

app_name = "applicant"

urlpatterns: list[URLPattern] = [
    # Online submission, under /ho-so/nop/ (the receipt first: "bien-nhan" is no procedure code).
    path("nop/bien-nhan/<str:dossier_code>/", submission.submit_receipt, name="submit_receipt"),
    path("nop/<str:code>/", submission.submit_details, name="submit_details"),
    path("nop/<str:code>/giay-to/", submission.submit_documents, name="submit_documents"),
    path("nop/<str:code>/xem-lai/", submission.submit_review, name="submit_review"),
]
