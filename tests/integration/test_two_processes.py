"""Two `portal serve` processes on one database and one data dir, as replicas behind a load
balancer run: a publish, an update and a delete through the CLI (a third process) are seen
at once by both — search, dataset page, rows, history — and the rate limit counts a client's
requests to either against one budget. On PostgreSQL and on SQLite (one file in WAL mode)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from portal.settings import PROJECT_ROOT
from tests.conftest import SAMPLES_DIR
from tests.serving import portal_cli, portal_environment, portal_servers

RECIPE = PROJECT_ROOT / "pipelines" / "suita_evacuation_space.yaml"
SOURCE = SAMPLES_DIR / "evacuation_space" / "suita_gsi_kinkyu.csv"
NAME = "272051-evacuation-space"
TITLE = "指定緊急避難場所一覧（大阪府吹田市）"  # as the portal titles it: standard and place
QUERY = "避難場所"
ROWS = f"/api/v1/datasets/{NAME}/rows"  # a heavy route: rate-limited
DOWNLOAD = f"/api/v1/datasets/{NAME}/download.csv"
RATE_LIMIT = 4
# The visibility checks send this key: their requests count against the keyed budget, not
# against the anonymous one the rate-limit check spends.
API_KEY = "two-processes-test"
KEPT_ROWS = 40  # the changed version keeps the first 40 places of the source


@pytest.fixture(params=["postgresql", "sqlite"])
def environ(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """One portal's environment: a shared data dir (the file store) and database."""
    database = request.getfixturevalue("postgres_schema") if request.param == "postgresql" else None
    return portal_environment(
        tmp_path / "var", database, PORTAL_RATE_LIMIT=str(RATE_LIMIT),
        PORTAL_API_KEYS=f'["{API_KEY}"]',
        PORTAL_ROWS_SYNC_SECONDS="0",  # rows come from the publish itself, never from a sync
    )  # fmt: skip


@pytest.fixture
def servers(environ: dict[str, str]) -> Iterator[list[httpx.Client]]:
    with portal_servers(environ, environ) as bases:
        clients = [httpx.Client(base_url=b, headers={"X-API-Key": API_KEY}) for b in bases]
        yield clients
        for client in clients:
            client.close()


def run(environ: dict[str, str], *args: str) -> str:
    """A `portal` command in a process of its own; its output, after it succeeded."""
    done = portal_cli(environ, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def changed_recipe(root: Path) -> Path:
    """The same recipe over a shorter export: a new version of the same dataset."""
    folder = root / "changed"
    folder.mkdir()
    lines = SOURCE.read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / SOURCE.name).write_text("".join(lines[: KEPT_ROWS + 1]), encoding="utf-8")
    recipe = yaml.safe_load(RECIPE.read_text(encoding="utf-8"))
    recipe["source"]["path"] = SOURCE.name
    target = folder / RECIPE.name
    target.write_text(yaml.safe_dump(recipe, allow_unicode=True), encoding="utf-8")
    return target


def found(client: httpx.Client) -> list[dict[str, object]]:
    response = client.get("/api/v1/datasets", params={"q": QUERY})
    assert response.status_code == 200, response.text
    results: list[dict[str, object]] = response.json()["results"]
    return [r for r in results if r["name"] == NAME]


def page(client: httpx.Client) -> httpx.Response:
    return client.get(f"/datasets/{NAME}", headers={"Accept": "text/html"})


def assert_published(client: httpx.Client, rows: int) -> str:
    """What a user of this server sees of the dataset; its `modified` time."""
    hits = found(client)
    assert len(hits) == 1, f"{client.base_url} does not find {NAME} for {QUERY}"
    hit = hits[0]
    assert hit["rows"] == rows, hit
    shown = page(client)
    assert shown.status_code == 200 and TITLE in shown.text, (client.base_url, shown.status_code)
    answer = client.get(ROWS, params={"limit": 5})
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] == rows
    download = client.get(DOWNLOAD)  # the published file, from the shared file store
    assert download.status_code == 200, download.text
    assert len(list(csv.DictReader(io.StringIO(download.text)))) == rows
    return str(hit["modified"])


def assert_gone(client: httpx.Client) -> None:
    assert found(client) == []
    assert page(client).status_code == 404
    assert client.get(ROWS).status_code == 404
    assert client.get(DOWNLOAD).status_code == 404


def source_rows() -> int:
    return len(SOURCE.read_text(encoding="utf-8").splitlines()) - 1


def test_two_servers_share_one_state(
    environ: dict[str, str], servers: list[httpx.Client], tmp_path: Path
) -> None:
    for client in servers:
        assert_gone(client)
    # 電話番号 is not in 国土地理院's layout: the recipe's data is published marked 要修正.
    run(environ, "publish", "--allow-invalid", str(RECIPE))
    first = {assert_published(client, source_rows()) for client in servers}
    assert len(first) == 1, first  # both show the same version
    assert history_actions(environ) == ["create"]
    assert_rate_limit_shared(servers)

    run(environ, "publish", "--allow-invalid", str(changed_recipe(tmp_path)))
    second = {assert_published(client, KEPT_ROWS) for client in servers}
    assert len(second) == 1 and second != first, (first, second)  # both see the same new version

    run(environ, "catalogue", "delete", NAME, "--yes")
    for client in servers:
        assert_gone(client)
    assert history_actions(environ) == ["delete", "update", "create"]  # newest first


def history_actions(environ: dict[str, str]) -> list[str]:
    """The actions `portal history NAME` lists (the API has no history; the CLI reads the
    publish log in the shared database)."""
    lines = [line for line in run(environ, "history", NAME).splitlines() if NAME in line]
    return [line.split("│")[4].strip() for line in lines]


def assert_rate_limit_shared(servers: list[httpx.Client]) -> None:
    """RATE_LIMIT requests split across the two servers spend the client's whole budget."""
    bases = [str(client.base_url) for client in servers]
    with httpx.Client() as anonymous:  # no API key: the anonymous budget of 127.0.0.1
        spent = [anonymous.get(bases[i % 2] + ROWS).status_code for i in range(RATE_LIMIT)]
        over = [anonymous.get(base + ROWS) for base in bases]
    assert spent == [200] * RATE_LIMIT
    assert [r.status_code for r in over] == [429, 429]
    assert all(r.json()["error"]["code"] == "rate-limited" for r in over)
