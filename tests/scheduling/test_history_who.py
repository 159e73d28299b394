"""The version page and a cell's history say who changed a schedule by name, as the rest of the
app does, not by their sign-in e-mail (a director reading the history found only addresses)."""

from django.urls import reverse

YEAR = "2027-2028"


def _url(name, *args):
    return reverse(f"scheduling:{name}", args=["alpha", YEAR, *args])


def test_the_history_names_who_changed_a_cell(client, built, two_programs):
    director = two_programs.director
    director.name = "Dr. Ada Quill"
    director.save(update_fields=["name"])
    client.force_login(director)
    resident = built.residents[0]
    client.post(
        _url("cell_edit", built.version.number),
        {"resident": resident.pk, "week": 9, "rotation": "VAC"},
    )
    version_page = client.get(_url("version", built.version.number)).content.decode()
    cell = client.get(
        _url("cell_history", built.version.number), {"resident": resident.pk, "week": 9}
    ).content.decode()
    for page in (version_page, cell):
        assert "Dr. Ada Quill" in page
        assert director.email not in page
