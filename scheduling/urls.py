from django.urls import path

from scheduling.views import (
    build,
    grid,
    midyear,
    on_service,
    publishing,
    resident,
    versions,
    wishes,
)

app_name = "scheduling"

urlpatterns = [
    path("", grid.index, name="index"),
    path("mine/", resident.my_schedule, name="my_schedule"),
    path("residents/<int:pk>/", resident.resident_schedule, name="resident_schedule"),
    path("on-service/", on_service.on_service, name="on_service"),
    path("settings/publishing/", publishing.publish_settings, name="publish_settings"),
    path("<str:year>/", grid.grid, name="grid"),
    path("<str:year>/build/", build.build_start, name="build"),
    path("<str:year>/jobs/<int:job_id>/", build.job_detail, name="job"),
    path("<str:year>/jobs/<int:job_id>/status/", build.job_status, name="job_status"),
    path("<str:year>/jobs/<int:job_id>/cancel/", build.job_cancel, name="job_cancel"),
    path("<str:year>/compare/", versions.compare, name="compare"),
    path("<str:year>/coverage/", versions.coverage, name="coverage"),
    path("<str:year>/v<int:number>/cell/", grid.cell_edit, name="cell_edit"),
    path("<str:year>/v<int:number>/pin/", grid.cell_pin, name="cell_pin"),
    path("<str:year>/replan/", midyear.replan, name="replan"),
    path("<str:year>/v<int:number>/", midyear.version_detail, name="version"),
    path("<str:year>/v<int:number>/publish/", midyear.version_publish, name="publish"),
    path("<str:year>/v<int:number>/submit/", midyear.version_submit, name="submit"),
    path("<str:year>/v<int:number>/undo/", midyear.version_undo, name="undo"),
    path("<str:year>/v<int:number>/cell-history/", midyear.cell_history, name="cell_history"),
    path(
        "<str:year>/v<int:number>/history.<str:fmt>",
        midyear.events_export,
        name="events_export",
    ),
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
