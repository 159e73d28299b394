from django.urls import path

from programs import views, views_import, views_people, views_rollover

app_name = "programs"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("roster/", views.roster, name="roster"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("import/", views_import.bundle_upload, name="bundle_upload"),
    path("import/<str:token>/", views_import.bundle_confirm, name="bundle_confirm"),
    path("export.json", views_import.bundle_download, name="bundle_download"),
    path("roster/import/", views_import.roster_upload, name="roster_upload"),
    path("people/", views_people.people, name="people"),
    path("people/invite/", views_people.invite, name="invite"),
    path("rollover/", views_rollover.rollover, name="rollover"),
]
