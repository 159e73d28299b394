from django.urls import path

from scheduling import (
    views,
    views_build,
    views_resident,
    views_versions,
)

app_name = "scheduling"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views_resident.my_schedule, name="my_schedule"),
    path("residents/<int:pk>/", views_resident.resident_schedule, name="resident_schedule"),
    path("<str:year>/", views.grid, name="grid"),
    path("<str:year>/build/", views_build.build_start, name="build"),
    path("<str:year>/jobs/<int:job_id>/", views_build.job_detail, name="job"),
    path("<str:year>/jobs/<int:job_id>/status/", views_build.job_status, name="job_status"),
    path("<str:year>/jobs/<int:job_id>/cancel/", views_build.job_cancel, name="job_cancel"),
    path("<str:year>/compare/", views_versions.compare, name="compare"),
    path("<str:year>/coverage/", views_versions.coverage, name="coverage"),
    path("<str:year>/v<int:number>/cell/", views.cell_edit, name="cell_edit"),
    path("<str:year>/v<int:number>/pin/", views.cell_pin, name="cell_pin"),
    path("<str:year>/v<int:number>/publish/", views.version_publish, name="publish"),
    path("<str:year>/v<int:number>/copy/", views.version_copy, name="copy"),
    path(
        "<str:year>/v<int:number>/export.<str:fmt>",
        views_versions.export,
        name="export",
    ),
]
