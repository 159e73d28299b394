from django.urls import path

from scheduling.views import build, grid, resident, versions, wishes

app_name = "scheduling"

urlpatterns = [
    path("", grid.index, name="index"),
    path("mine/", resident.my_schedule, name="my_schedule"),
    path("residents/<int:pk>/", resident.resident_schedule, name="resident_schedule"),
    path("<str:year>/", grid.grid, name="grid"),
    path("<str:year>/build/", build.build_start, name="build"),
    path("<str:year>/jobs/<int:job_id>/", build.job_detail, name="job"),
    path("<str:year>/jobs/<int:job_id>/status/", build.job_status, name="job_status"),
    path("<str:year>/jobs/<int:job_id>/cancel/", build.job_cancel, name="job_cancel"),
    path("<str:year>/compare/", versions.compare, name="compare"),
    path("<str:year>/coverage/", versions.coverage, name="coverage"),
    path("<str:year>/v<int:number>/cell/", grid.cell_edit, name="cell_edit"),
    path("<str:year>/v<int:number>/pin/", grid.cell_pin, name="cell_pin"),
    path("<str:year>/v<int:number>/publish/", grid.version_publish, name="publish"),
    path("<str:year>/v<int:number>/copy/", grid.version_copy, name="copy"),
    path("<str:year>/v<int:number>/fairness/", versions.fairness, name="fairness"),
    path("<str:year>/v<int:number>/wishes/<int:pk>/", wishes.wishes, name="wishes"),
    path(
        "<str:year>/v<int:number>/wishes/<int:pk>/<int:index>/ask/",
        wishes.wish_ask,
        name="wish_ask",
    ),
    path(
        "<str:year>/v<int:number>/export.<str:fmt>",
        versions.export,
        name="export",
    ),
]
