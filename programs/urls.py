from django.urls import path

from programs.views import imports, overview, people, rollover

app_name = "programs"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("roster/", overview.roster, name="roster"),
    path("residents/<int:pk>/", overview.resident_detail, name="resident_detail"),
    path("import/", imports.bundle_upload, name="bundle_upload"),
    path("import/<str:token>/", imports.bundle_confirm, name="bundle_confirm"),
    path("export.json", imports.bundle_download, name="bundle_download"),
    path("roster/import/", imports.roster_upload, name="roster_upload"),
    path("people/", people.people, name="people"),
    path("people/invite/", people.invite, name="invite"),
    path("rollover/", rollover.rollover, name="rollover"),
]
