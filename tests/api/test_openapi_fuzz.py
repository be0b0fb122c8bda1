"""Schemathesis over the whole OpenAPI document, stateless and stateful (following the
documented links): no server error, and every answer as the document says — its status,
media type, headers and body schema.

The schema is read from an app with no stores (`application`); requests go to an app
serving the published test catalogue (`fuzz_app`), its own so that nothing a generated
request does reaches the other API tests.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal.server import application, create_app
from portal.settings import Settings

schema = schemathesis.openapi.from_asgi("/openapi.json", application(Settings()))
# Bounded so that the whole file stays well under a minute on a shared machine.
EXAMPLES = 50  # per operation
STATEFUL_EXAMPLES = 100  # sequences of up to 6 linked calls; enough for the walk, among the
# signed-in routes too, to follow a search's link to a dataset (50 no longer did)

# Path parameters that exist, mixed in with generated ones, so generated queries reach rows.
KNOWN = {"name": ["272051-aed", "272248-population-by-area-age", "222127-event"],
         "slug": ["aed", "event", "population_by_area_age"], "apiname": ["aed", "event"],
         "action": ["package_search", "package_show", "organization_list", "status_show"]}  # fmt: skip
# A query that names no field of the standard (sort=x), a cursor this API never gave or a
# date that is no date is schema-valid text the API refuses with a 400 that says why: the
# document cannot list every standard's fields, so "valid data accepted" is not asked.
EXCLUDED = [positive_data_acceptance]


@pytest.fixture(scope="module")
def fuzz_app(api_settings: Settings) -> FastAPI:
    return create_app(api_settings)


def known(case: schemathesis.Case, draw: dict[str, str]) -> None:
    for key, value in draw.items():
        if key in (case.path_parameters or {}) and draw.get("use") == "yes":
            case.path_parameters[key] = value


@schema.parametrize()
@schema.given(draw=st.fixed_dictionaries({"use": st.sampled_from(["yes", "no"]),
                                           **{k: st.sampled_from(v) for k, v in KNOWN.items()}}))  # fmt: skip
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_stateless(case: schemathesis.Case, draw: dict[str, str], fuzz_app: FastAPI) -> None:
    known(case, draw)
    case.call_and_validate(app=fuzz_app, excluded_checks=EXCLUDED)


def test_stateful(fuzz_app: FastAPI) -> None:
    reached: set[tuple[str, int]] = set()  # (operation, status) of every call made

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"app": fuzz_app}

        def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
            reached.add((case.operation.label, response.status_code))
            case.validate_response(response, excluded_checks=EXCLUDED)

    run = settings(max_examples=STATEFUL_EXAMPLES, stateful_step_count=6, deadline=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))  # fmt: skip
    Machine.run(settings=run)
    # The links were followed: a dataset found by a search was then shown, a standard listed
    # was then read (generated names and slugs never exist).
    for followed in ("GET /api/v1/datasets/{name}", "GET /api/v1/standards/{slug}"):
        assert (followed, 200) in reached, sorted(reached)
