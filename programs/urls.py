from django.urls import path

from programs.views import imports, overview, people, rollover, setup, setup_people

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
    # Set-up in the browser (issue 12)
    path("setup/tracks/", setup.tracks, name="setup_tracks"),
    path("setup/tracks/new/", setup.track_edit, name="setup_track_new"),
    path("setup/tracks/<str:code>/", setup.track_edit, name="setup_track_edit"),
    path("setup/tracks/<str:code>/delete/", setup.track_delete, name="setup_track_delete"),
    path("setup/rotations/", setup.rotations, name="setup_rotations"),
    path("setup/rotations/new/", setup.rotation_edit, name="setup_rotation_new"),
    path("setup/rotations/<str:code>/", setup.rotation_edit, name="setup_rotation_edit"),
    path("setup/rotations/<str:code>/delete/", setup.rotation_delete, name="setup_rotation_delete"),
    path("setup/requirements/", setup.requirements, name="setup_requirements"),
    path("setup/requirements/new/", setup.requirement_edit, name="setup_requirement_new"),
    path("setup/requirements/<int:pk>/", setup.requirement_edit, name="setup_requirement_edit"),
    path(
        "setup/requirements/<int:pk>/delete/",
        setup.requirement_delete,
        name="setup_requirement_delete",
    ),
    path("setup/years/", setup.years, name="setup_years"),
    path("setup/years/new/", setup.year_edit, name="setup_year_new"),
    path("setup/years/<str:name>/", setup.year_edit, name="setup_year_edit"),
    path("setup/years/<str:name>/delete/", setup.year_delete, name="setup_year_delete"),
    path("setup/residents/", setup_people.residents, name="setup_residents"),
    path("setup/residents/new/", setup_people.resident_edit, name="setup_resident_new"),
    path("setup/residents/<int:pk>/", setup_people.resident_edit, name="setup_resident_edit"),
    path(
        "setup/residents/<int:pk>/deactivate/",
        setup_people.resident_deactivate,
        name="setup_resident_deactivate",
    ),
    path("setup/faculty/", setup_people.faculty, name="setup_faculty"),
    path("setup/faculty/new/", setup_people.faculty_edit, name="setup_faculty_new"),
    path("setup/faculty/<int:pk>/", setup_people.faculty_edit, name="setup_faculty_edit"),
    path("setup/program/", setup_people.program_settings, name="setup_program"),
    path(
        "setup/faculty/<int:pk>/deactivate/",
        setup_people.faculty_deactivate,
        name="setup_faculty_deactivate",
    ),
    path("setup/copy/", setup_people.program_copy, name="setup_copy"),
    path("history/", setup_people.history, name="history"),
]
