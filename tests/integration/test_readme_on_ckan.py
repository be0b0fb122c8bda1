"""The README's curl examples, against the demo published to the real CKAN.

`PORTAL_CATALOGUE=ckan make run` publishes the sample recipes to CKAN and the facade
answers from it; every example must work there as it does on the embedded catalogue.
The demo uses the README's names (222127-aed …); only what this test created is purged.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import ckanapi
import pytest

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.server import create_app
from portal.settings import PROJECT_ROOT, Settings
from portal.workspace import Workspace
from tests.api.conftest import serve
from tests.api.test_readme_examples import curl_examples, run_example
from tests.conftest import DATASETS_DIR, REFERENCE_DIR

pytestmark = pytest.mark.ckan


@pytest.fixture(scope="module")
def demo_on_ckan(
    ckan: ckanapi.RemoteCKAN, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    packages, orgs = set(ckan.action.package_list()), set(ckan.action.organization_list())
    root = tmp_path_factory.mktemp("demo-ckan")
    settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR, data_dir=root / "var",
                        catalogue="ckan", ckan_url=os.environ["CKAN_URL"],
                        ckan_api_token=os.environ["CKAN_API_TOKEN"], rate_limit=0)  # fmt: skip
    publisher = Portal.open(settings).publisher()
    try:
        for recipe in sorted((PROJECT_ROOT / "pipelines").glob("*.yaml")):
            publish_recipe(recipe, publisher, Workspace.of(settings), Options(allow_invalid=True))
        yield from serve(create_app(settings))
    finally:
        for name in set(ckan.action.package_list()) - packages:
            ckan.action.dataset_purge(id=name)
        for org in set(ckan.action.organization_list()) - orgs:
            ckan.action.organization_purge(id=org)


@pytest.mark.parametrize("command", curl_examples())
def test_readme_example_answers_on_ckan(command: str, demo_on_ckan: str) -> None:
    run_example(command, demo_on_ckan)
