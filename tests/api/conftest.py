"""A small published catalogue (six datasets, three municipalities) and the facade over it:
in-process (TestClient) and over a real socket (uvicorn on loopback)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.server import create_app
from portal.settings import PROJECT_ROOT, Settings
from portal.workspace import Workspace
from tests.conftest import DATASETS_DIR, REFERENCE_DIR, TEST_DATA, new_postgres_schema

RECIPES = [
    TEST_DATA / "convert" / "event-cp932.yaml",
    TEST_DATA / "convert" / "aed-with-title.yaml",
    TEST_DATA / "convert" / "facility-filters.yaml",
    TEST_DATA / "convert" / "population-two-row-header.yaml",
    TEST_DATA / "api" / "aed-suita.yaml",  # 24時間 in two cells: published as 要修正
    TEST_DATA / "api" / "aed-settsu.yaml",
]


def build_catalogue(root: Path, recipes: list[Path] = RECIPES, **overrides: object) -> Settings:
    settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR,
                        data_dir=root / "var", catalogue="embedded", rate_limit=0, **overrides)  # type: ignore[arg-type]  # fmt: skip
    publisher = Portal.open(settings).publisher()
    for recipe in recipes:
        publish_recipe(
            recipe,
            publisher,
            Workspace.of(settings),
            Options(allow_invalid=True),
            staging=root / recipe.stem,
        )
    return settings


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def api_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The published catalogue, in a SQLite portal database and in a PostgreSQL one (where
    the rows the API serves live in the same database)."""
    with catalogue_in(request, tmp_path_factory.mktemp(f"api-{request.param}")) as settings:
        yield settings


@contextmanager
def catalogue_in(
    request: pytest.FixtureRequest, root: Path, recipes: list[Path] = RECIPES
) -> Iterator[Settings]:
    """The catalogue built in the portal database a fixture's param names: "sqlite" (a file
    under root), or "postgresql" (a new schema, dropped after)."""
    if request.param == "sqlite":
        yield build_catalogue(root, recipes)
        return
    with new_postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield build_catalogue(root, recipes, database_url=url)


@pytest.fixture(scope="session")
def app(api_settings: Settings) -> FastAPI:
    return create_app(api_settings)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    # One per test: a cookie one test sets (lang=en, a session) must not change another's pages.
    return TestClient(app)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve(app: FastAPI) -> Iterator[str]:
    """The app on a real socket, as `portal serve` runs it, for the length of a fixture."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(app: FastAPI) -> Iterator[str]:
    yield from serve(app)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo `make run` builds (every sample recipe in pipelines/, invalid ones published
    as 要修正), served on a real socket."""
    recipes = sorted((PROJECT_ROOT / "pipelines").glob("*.yaml"))
    settings = build_catalogue(tmp_path_factory.mktemp("demo"), recipes)
    yield from serve(create_app(settings))
