from django.contrib import admin
from django.urls import include, path

from motcua.config.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("thu-tuc/", include("motcua.catalog.urls")),
    path("can-bo/", include("motcua.dossiers.urls")),
    path("tra-cuu/", include("motcua.dossiers.urls_public")),
    path("ho-so/", include("motcua.dossiers.urls_applicant")),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("xep-hang/", include("motcua.centres.urls")),
    path("kiosk/", include("motcua.centres.urls_kiosk")),
    path("", include("motcua.web.urls")),
]

handler404 = "motcua.web.views.page_not_found"
handler500 = "motcua.web.views.server_error"
