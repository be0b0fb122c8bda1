"""The maps' pieces without a server: which columns label a marker, where a typed place is,
the tile host a page may load images from, and PORTAL_MAP_TILES checked at start-up."""

from __future__ import annotations

import pytest

from portal.api.middleware import policy, tile_source
from portal.errors import ConfigInvalid
from portal.localgov import load as load_directory
from portal.settings import load_settings
from portal.standards import Registry
from portal.web.map_points import Place, PlaceNotFound, columns, place
from tests.conftest import DATASETS_DIR


def test_marker_columns_by_standard() -> None:
    registry = Registry(DATASETS_DIR)
    aed = columns(registry.get("aed"))
    assert aed is not None and (aed.name, aed.address, aed.id) == ("名称", "所在地_連結表記", "ID")
    care = columns(registry.get("care_service"))
    assert care is not None and care.name == "介護サービス事業所名称"
    legacy = columns(registry.get("legacy/hospital"))
    assert legacy is not None and (legacy.address, legacy.id) == ("住所", "NO")
    assert columns(registry.get("population_by_area_age")) is None  # no 緯度/経度: no map


@pytest.mark.parametrize(
    ("typed", "label"),
    [("焼津市", "静岡県焼津市"), ("静岡県焼津市", "静岡県焼津市"), ("焼津", "静岡県焼津市"),
     ("34.867, 138.324", "34.867, 138.324"), ("34.867 138.324", "34.867, 138.324"),
     ("３４．８６７、１３８．３２４", "34.867, 138.324")],
)  # fmt: skip
def test_a_typed_place(typed: str, label: str) -> None:
    found = place(typed, load_directory())
    assert isinstance(found, Place) and found.label == label
    assert 34 < found.lat < 35 and 138 < found.lon < 139


def test_a_name_of_two_municipalities_gives_both() -> None:
    found = place("府中市", load_directory())
    assert isinstance(found, list)
    assert sorted(g.full_name for g in found) == ["広島県府中市", "東京都府中市"]


@pytest.mark.parametrize("typed", ["", "どこにもない町", "134.8, 138.3", "x" * 500])
def test_an_unknown_place_is_a_400_saying_what_to_type(typed: str) -> None:
    with pytest.raises(PlaceNotFound) as raised:
        place(typed, load_directory())
    assert raised.value.status == 400
    assert "市区町村名" in raised.value.to_dict()["hint_ja"]


def test_the_tile_host_a_map_page_may_load_images_from() -> None:
    assert tile_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://*.tile.openstreetmap.org"
    )
    assert tile_source("http://127.0.0.1:8081/t/{z}/{x}/{y}.png") == "http://127.0.0.1:8081"
    osm = policy("/map", tile_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"))
    assert "img-src 'self' data: https://*.tile.openstreetmap.org;" in osm
    assert "script-src 'self'" in policy("/datasets/x", "https://t.example")
    assert "script-src" not in policy("/organizations/x", "https://t.example")


@pytest.mark.parametrize(
    "tiles", ["https://t.example/tile.png", "file:///{z}/{x}/{y}.png", "{z}/{x}/{y}"]
)
def test_a_tile_template_without_z_x_y_over_http_stops_the_start(tiles: str) -> None:
    with pytest.raises(ConfigInvalid) as raised:
        load_settings(map_tiles=tiles)
    assert "map_tiles" in raised.value.message_en
