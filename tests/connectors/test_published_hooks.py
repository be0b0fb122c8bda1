"""Portal.on_published: what subscribers and brokers hang on a publish. Each hook gets the
publish (`Published`); one that fails is logged and neither fails the publish nor stops the
hooks after it; a publish that changes nothing, or goes to another catalogue than the
portal's own, runs none."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from portal.catalogue.publish import Options, Published, publish
from portal.composition import Portal
from portal.pipeline import convert
from portal.settings import Settings
from tests.conftest import TEST_DATA

EVENT = TEST_DATA / "convert" / "event-cp932.yaml"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"catalogue": "embedded"})  # never $CKAN_URL's


def converted(portal: Portal, tmp_path: Path) -> Path:
    out = tmp_path / "converted"
    convert(EVENT, portal.workspace, out)
    return out


def test_hooks_see_each_publish_and_a_failing_one_fails_nothing(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    portal = Portal.open(settings)
    seen: list[tuple[str, str, int | None]] = []

    def broken(_published: Published) -> None:
        raise RuntimeError("broker down")

    portal.on_published(broken)
    portal.on_published(lambda p: seen.append((p.plan.name, p.action, p.version)))
    folder = converted(portal, tmp_path)
    with caplog.at_level(logging.ERROR, logger="portal.composition"):
        done = publish(folder, portal.publisher(), Options(allow_invalid=True))
    assert done.action == "create" and portal.catalogue.public_show(done.plan.name) is not None
    assert seen == [(done.plan.name, "create", done.version)]
    assert "broker down" in caplog.text and done.plan.name in caplog.text

    again = publish(folder, portal.publisher(), Options(allow_invalid=True))
    assert again.action == "unchanged" and len(seen) == 1  # no new version: nothing to tell
    portal.close()


def test_a_publish_to_another_catalogue_runs_no_hook(settings: Settings, tmp_path: Path) -> None:
    portal = Portal.open(settings)
    seen: list[Published] = []
    portal.on_published(seen.append)
    other = Portal.open(settings.model_copy(update={"data_dir": tmp_path / "other"}))
    publish(
        converted(portal, tmp_path), portal.publisher(other.catalogue), Options(allow_invalid=True)
    )
    assert seen == []
    portal.close()
    other.close()
