"""Rows of the standard datasets → NGSI-v2 entities, checked against filip's models."""

from __future__ import annotations

from typing import Any

import pytest

from portal.connectors.ngsi.config import NGSI_NAME, NgsiOptions
from portal.connectors.ngsi.mapping import EntityMapping, NgsiMappingError, batches
from portal.standards import Definition
from portal.standards.definition import typed_value
from portal.standards.registry import Registry
from tests.conftest import DATASETS_DIR

REGISTRY = Registry(DATASETS_DIR)
OPTIONS = NgsiOptions()


def example_row(definition: Definition) -> dict[str, Any]:
    """A row of the standard's own examples, as the rows store holds it."""
    row = {f["name"]: typed_value(str(f.get("example", "")), f["type"]) for f in definition.fields}
    row.update({"緯度": 34.8, "経度": 135.6})
    for name in ("ID", "NO", "地域コード", "調査年月日"):
        if name in row and not row[name]:
            row[name] = "R-1" if name != "調査年月日" else "2026-04-01"
    return row


def mappable() -> list[Definition]:
    return [d for d in REGISTRY.all() if d.fields and d.slug != "opendata_list"]


def test_every_standard_dataset_makes_entities_filip_accepts(filip_check: Any) -> None:
    entities = []
    for definition in mappable():
        mapping = EntityMapping.of(definition, OPTIONS)
        assert not mapping.guessed, (definition.key, mapping.guessed)  # every field in the table
        entity = mapping.entity(example_row(definition), "272108")
        assert all(NGSI_NAME.fullmatch(name) for name in entity if name not in ("id", "type"))
        entities.append(entity)
    found = filip_check(entities, list(batches(entities, 7)))
    failed = {e["id"]: err for e, err in zip(entities, found["entities"], strict=True) if err}
    assert failed == {}
    assert found["batches"] == [None] * len(found["batches"])


def test_filip_refuses_what_ngsi_v2_forbids(filip_check: Any) -> None:
    """The check is not vacuous: a Japanese attribute name, an id with a space and a Text
    value with a forbidden character are each refused by filip."""
    bad = [
        {"id": "urn:ngsi-ld:AED:1", "type": "AED", "名称": {"type": "Text", "value": "x"}},
        {"id": "urn:ngsi-ld:AED:1 2", "type": "AED"},
        {"id": "urn:ngsi-ld:AED:1", "type": "AED", "name": {"type": "Text", "value": "a(b)"}},
    ]
    found = filip_check(bad, [{"actionType": "explode", "entities": []}])
    assert all(found["entities"]) and all(found["batches"])


def aed() -> EntityMapping:
    return EntityMapping.of(REGISTRY.get("aed"), OPTIONS)


def test_an_aed_row_as_an_entity() -> None:
    row = {"全国地方公共団体コード": "272108", "ID": "AED-0001", "名称": "市役所本館(1F)",
           "緯度": 34.8116, "経度": 135.6506, "高度の値": 1.0, "備考": None}  # fmt: skip
    entity = aed().entity(row, "999999")
    assert entity["id"] == "urn:ngsi-ld:AED:272108:AED-0001"
    assert entity["type"] == "AED"
    assert entity["location"] == {
        "type": "geo:json",
        "value": {"type": "Point", "coordinates": [135.6506, 34.8116]},
    }
    assert "latitude" not in entity and "longitude" not in entity
    assert entity["identifier"] == {"type": "Text", "value": "AED-0001"}
    assert entity["height"] == {"type": "Number", "value": 1.0}
    assert entity["remarks"] == {"type": "Text", "value": None}
    # ( ) are forbidden in Orion's Text values: sent as TextUnrestricted
    assert entity["name"] == {"type": "TextUnrestricted", "value": "市役所本館(1F)"}


def test_integer_date_and_a_cell_not_of_its_type() -> None:
    mapping = EntityMapping.of(REGISTRY.get("population_by_area_age"), OPTIONS)
    row = {"全国地方公共団体コード": "272108", "地域コード": "A01", "調査年月日": "2026-04-01",
           "総人口": 1200, "男性": "unknown"}  # fmt: skip
    entity = mapping.entity(row, "272108")
    assert entity["id"] == "urn:ngsi-ld:PopulationByAreaAge:272108:A01-2026-04-01"
    assert entity["totalPopulation"] == {"type": "Integer", "value": 1200}
    assert entity["surveyDate"] == {"type": "DateTime", "value": "2026-04-01T00:00:00.000Z"}
    assert entity["malePopulation"] == {"type": "Text", "value": "unknown"}
    assert mapping.row_of(entity)["調査年月日"] == "2026-04-01"


@pytest.mark.parametrize("mode", ["unrestricted", "percent-encode"])
def test_a_row_comes_back_from_its_entity(mode: str) -> None:
    mapping = EntityMapping.of(REGISTRY.get("aed"), NgsiOptions(forbidden_characters=mode))
    row = dict.fromkeys(REGISTRY.get("aed").field_names)
    row.update({"全国地方公共団体コード": "272108", "ID": "7", "名称": "A=B; 'C' <D> 50%",
                "緯度": 34.8, "経度": 135.6, "高度の値": 2})  # fmt: skip
    entity = mapping.entity(row, "272108")
    if mode == "percent-encode":
        assert entity["name"] == {"type": "Text", "value": "A%3DB%3B %27C%27 %3CD%3E 50%25"}
    assert mapping.row_of(entity) == row


def test_ids_hold_only_what_ngsi_v2_allows() -> None:
    entity = aed().entity({"全国地方公共団体コード": "272108", "ID": "番号 1/2#3"}, "272108")
    assert entity["id"] == "urn:ngsi-ld:AED:272108:%E7%95%AA%E5%8F%B7%201%2F2%233"
    with pytest.raises(ValueError, match="over 256"):
        aed().entity({"ID": "x" * 300}, "272108")
    with pytest.raises(ValueError, match="no ID"):
        aed().entity({"ID": " "}, "272108")


def test_the_id_template_and_types_are_configurable() -> None:
    options = NgsiOptions(id_template="{lgcode}-{id}", types={"aed": "DefibrillatorSite"},
                          attributes={"名称": "siteName"})  # fmt: skip
    entity = EntityMapping.of(REGISTRY.get("aed"), options).entity(
        {"ID": "9", "名称": "x"}, "272108"
    )
    assert (entity["id"], entity["type"], entity["siteName"]["value"]) == (
        "272108-9",
        "DefibrillatorSite",
        "x",
    )


def test_bad_options_are_refused_naming_the_option() -> None:
    with pytest.raises(ValueError, match="not an NGSI-v2 name"):
        NgsiOptions(attributes={"名称": "名前"})
    with pytest.raises(ValueError, match=r"needs \{id\}"):
        NgsiOptions(id_template="urn:{type}")
    with pytest.raises(ValueError, match="Fiware-ServicePath"):
        NgsiOptions(service_path="no-slash")
    with pytest.raises(NgsiMappingError, match="both become attribute 'name'"):
        EntityMapping.of(REGISTRY.get("aed"), NgsiOptions(attributes={"備考": "name"}))
    with pytest.raises(NgsiMappingError, match="no ID field"):
        EntityMapping.of(REGISTRY.get("opendata_list"), OPTIONS)


def test_batches_for_op_update() -> None:
    found = list(batches(({"id": str(i)} for i in range(250)), 100))
    assert [len(b["entities"]) for b in found] == [100, 100, 50]
    assert {b["actionType"] for b in found} == {"append"}


def test_the_documented_example_configures_a_connector() -> None:
    from portal.connectors.registry import make_connector, read_config
    from portal.settings import PROJECT_ROOT

    made = make_connector(read_config(PROJECT_ROOT / "docs/connectors/ngsi.example.yaml"))
    assert made.config.kind == "ngsi" and made.options.push_on_publish  # type: ignore[attr-defined]
