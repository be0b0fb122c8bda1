"""Schemathesis generates requests from the OpenAPI document: none may end in a server error.

Operations are driven one by one with Hypothesis (`operation.as_strategy()`), because
schemathesis' pytest fixture integration does not run on pytest 9.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.api.app import create_app
from portal.settings import Settings


@pytest.fixture(scope="module")
def api_schema(api_settings: Settings) -> schemathesis.BaseSchema:
    # Its own app: whatever a generated request does stays out of the other API tests.
    app: FastAPI = create_app(api_settings)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


# Path parameters drawn from what exists, so that generated query strings reach real rows.
KNOWN = {"name": ["272051-aed", "272248-population-by-area-age", "222127-event", "nothing-here"],
         "slug": ["aed", "event", "evacuation_space", "nope"], "apiname": ["aed", "event", "nope"],
         "fmt": ["csv", "json", "geojson", "xml"],
         "action": ["package_search", "package_show", "organization_list", "status_show", "nope"]}  # fmt: skip


def check(case: schemathesis.Case, known: dict[str, str]) -> None:
    for key, value in known.items():
        if key in (case.path_parameters or {}):
            case.path_parameters[key] = value
    response = case.call()
    where = f"{case.method} {case.formatted_path} {case.query}"
    assert response.status_code < 500, f"{where}: {response.text[:500]}"
    if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
        body = response.json()
        # One error shape everywhere (CKAN's own shape under /api/3/action).
        assert "message_en" in body.get("error", {}) or body.get("success") is False, (where, body)


def test_no_server_error(api_schema: schemathesis.BaseSchema) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        run = given(
            operation.as_strategy(),
            st.fixed_dictionaries({k: st.sampled_from(v) for k, v in KNOWN.items()}),
        )(check)
        settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))(run)()
