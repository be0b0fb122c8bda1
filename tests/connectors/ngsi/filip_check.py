"""Run by the filip venv's Python (tests/connectors/ngsi/conftest.py), never imported by the
suite: filip 0.8.1 pins pandas and pydantic versions the project does not use.

Reads {"entities": [...], "batches": [...]} on stdin and prints, as JSON, for each entity
and each batch the error filip's models give (null when it validates): ContextEntity for an
entity, Update (the body of POST /v2/op/update) for a batch.
"""

import json
import sys

from filip.models.base import DataType
from filip.models.ngsi_v2.context import ContextEntity, Update

KNOWN = {t.value: t for t in DataType}


def as_filip_builds(payload):
    """An attribute type that names one of filip's DataTypes as that enum, as filip's own
    code builds attributes: filip 0.8.1 refuses the plain string "geo:json" (its
    string_protect pattern excludes it) but accepts DataType.GEOJSON, the same JSON."""
    if isinstance(payload, dict):
        attribute = "value" in payload  # {"type": …, "value": …}: an attribute
        return {
            k: KNOWN[v] if attribute and k == "type" and v in KNOWN else as_filip_builds(v)
            for k, v in payload.items()
        }
    if isinstance(payload, list):
        return [as_filip_builds(v) for v in payload]
    return payload


def error_of(make, payload):
    try:
        make(payload)
    except Exception as exc:  # pydantic's ValidationError, or filip's own ValueError
        return f"{type(exc).__name__}: {exc}"
    return None


def main():
    given = as_filip_builds(json.load(sys.stdin))
    print(
        json.dumps(
            {
                "entities": [
                    error_of(lambda e: ContextEntity(**e), e) for e in given.get("entities", [])
                ],
                "batches": [error_of(Update.model_validate, b) for b in given.get("batches", [])],
            }
        )
    )


if __name__ == "__main__":
    main()
