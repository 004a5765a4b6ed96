"""The OpenAPI 3.1 schema is valid and served; the documentation page works under our CSP."""

import re

import yaml
from django.core.management import call_command
from rest_framework.test import APIClient


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"] == "3.1.0"
    assert "/api/v1/cases/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"


def test_the_schema_is_served_without_a_token(db):
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"


def test_every_operation_names_its_problems(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert "401" in operation["responses"], (method, path)


def test_the_documentation_page_has_no_inline_script_or_style(db):
    response = APIClient().get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html
    assert "/static/drf_spectacular_sidecar/" in html
    script = APIClient().get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
