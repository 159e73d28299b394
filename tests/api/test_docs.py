"""The OpenAPI schema and the Swagger UI: served by the app itself (no CDN), and working
under the site's Content-Security-Policy (scripts only from this site, none inline)."""

import re

import pytest
import yaml
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_documents_every_endpoint_and_the_error_shape(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert (
        "/api/v1/programs/{slug}/schedules/{year}/versions/{number}/assignments/"
        in (schema["paths"])
    )
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("401", "403", "404"):
                assert code in operation["responses"], (method, path, code)
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {
        "status",
        "code",
        "detail",
        "fields",
    }
    assert schema["components"]["securitySchemes"]["accessToken"]["scheme"] == "bearer"


def test_the_docs_load_only_scripts_of_this_site(client):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    directives = dict(d.strip().split(" ", 1) for d in page["Content-Security-Policy"].split(";"))
    assert directives["script-src"] == "'self'"
    html = page.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, _ in scripts]
    assert all(src.startswith("/") and not src.startswith("//") for src in sources)
    assert not re.search(r"https?://", " ".join(re.findall(r'(?:src|href)="([^"]+)"', html)))
    for src in sources:
        asset = client.get(src.replace("&amp;", "&"))
        assert asset.status_code == 200, src
        assert "javascript" in asset["Content-Type"], src


def test_the_init_script_points_at_the_schema(client):
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert reverse("api:schema") in script.content.decode()
