"""The standard's English keys (fields.csv `spec_key_en`) carried into datasets/<slug>/schema.json."""

from __future__ import annotations

from portal.standards import Registry
from tests.conftest import DATASETS_DIR


def _key_en(registry: Registry, key: str) -> dict[str, str]:
    return {f["name"]: f.get("key_en", "") for f in registry.get(key).fields}


def test_the_spec_sheets_own_english_keys_are_carried() -> None:
    keys = _key_en(Registry(DATASETS_DIR), "public_toilet")
    assert keys["名称"] == "name"
    assert keys["所在地_連結表記"] == "fullAddress"
    assert keys["男性トイレ総数"] == "totalMaleToilet"


def test_a_common_field_borrows_the_key_of_the_same_name_with_a_note() -> None:
    registry = Registry(DATASETS_DIR)
    aed = _key_en(registry, "aed")
    assert (aed["名称"], aed["緯度"], aed["経度"]) == ("name", "latitude", "longitude")
    assert aed["所在地_連結表記"] == "fullAddress"
    note = registry.get("aed").meta["field_notes"]["緯度"]["key_en"]
    assert "public_toilet spec sheet" in note


def test_fields_without_a_known_key_and_the_legacy_version_have_none() -> None:
    registry = Registry(DATASETS_DIR)
    assert _key_en(registry, "aed")["設置位置"] == "installationLocation"
    assert _key_en(registry, "care_service")["介護サービス事業所名称"] == ""
    assert all(not k for k in _key_en(registry, "legacy/aed").values())
