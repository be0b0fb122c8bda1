"""The demo catalogue (every recipe in pipelines/, as `make run` publishes it) served by a real
`portal serve` on loopback: what outside clients — CKAN's harvesters, Frictionless — read."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from portal.settings import PROJECT_ROOT, Settings
from tests.api.conftest import build_catalogue
from tests.serving import portal_environment, portal_servers

DEMO_RECIPES = sorted((PROJECT_ROOT / "pipelines").glob("*.yaml"))


@contextmanager
def served_demo(root: Path) -> Iterator[tuple[str, Settings]]:
    """The demo built under `root` and served; its base URL and settings. No rate limit:
    a harvest asks for every dataset at once.

    Its datasets and organizations are named with a suffix of this run (`222127-aed-<suffix>`,
    `222127-<suffix>`): the shared test CKAN holds the bare names when other tests publish the
    demo there, and a harvester creating the portal's organization there must not meet them.
    """
    suffix = uuid.uuid4().hex[:8]
    names = {"package_name": "{lgcode}-{slug}-" + suffix, "organization": "{lgcode}-" + suffix}
    settings = build_catalogue(root, DEMO_RECIPES, **names)
    environ = portal_environment(settings.data_dir, None, PORTAL_RATE_LIMIT="0",
                                 PORTAL_PACKAGE_NAME=names["package_name"],
                                 PORTAL_ORGANIZATION=names["organization"])  # fmt: skip
    with portal_servers(environ) as (base,):
        yield base, settings
