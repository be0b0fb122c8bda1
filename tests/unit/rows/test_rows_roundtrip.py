"""Property: any value the validator accepts can be stored and read back.

Rows of a real standard dataset (文化財, cultural_property: text, integers, numbers and dates)
are generated field by field — integers of any size, numbers including NaN, Infinity and
values beyond a float's range, dates, text with emoji, 異体字 (𠮷 髙), variation sequences
and control characters, empty cells — and each value is checked against frictionless's
cell reader for the field's type, the validator's own verdict on types. The rows are written
by the converter's writer (the published CSV and JSON), loaded into the rows store and read
back through the query layer as the API renders them (strict JSON). Each value must come
back as its CSV text says: the same number, or exactly the text — on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import json
import tempfile
from hashlib import sha256
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from portal.pipeline.writers import DatasetWriter
from portal.rows import MAX_LIMIT, Query, RowsStore, run
from portal.standards import Registry
from tests.conftest import DATASETS_DIR

DEFINITION = Registry(DATASETS_DIR).get("cultural_property")
TYPES = [f["type"] for f in DEFINITION.fields]
READERS = [f.create_cell_reader() for f in DEFINITION.table_schema.fields]

BIG = 2**80
INTEGERS = st.one_of(
    st.integers(-BIG, BIG).map(str),
    st.sampled_from([str(2**63 - 1), str(2**63), str(-(2**63)), str(-(2**63) - 1),
                     "99999999999999999999999", "007", "+5", "-0"]),
)  # fmt: skip
NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["NaN", "nan", "inf", "-Infinity", "1e400", "-1e400", "1e-400", "0.0",
                     "-0", "34.6873153", "12345678901234567890.123456789"]),
)  # fmt: skip
DATES = st.dates().map(lambda d: d.isoformat())
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30),
    st.sampled_from(["𠮷野家", "髙島屋", "葛\U000e0100城市", "👨‍👩‍👧", "\u200b", "a\r\nb",
                     "\ufeff先頭", "\t", '"引用"', "=1+1", "1,2", "\x1b[0m", "\u3000"]),
)  # fmt: skip
BY_TYPE = {"integer": INTEGERS, "number": NUMBERS, "date": DATES, "string": TEXT}
WORD = st.text("abcxyz019", min_size=1, max_size=8)
BY_FORMAT = {  # text fields whose type has a format (kept simple: generating is the slow part)
    "email": st.builds("{}@{}.jp".format, WORD, WORD),
    "uri": st.builds("https://{}.example.jp/{}?q={}".format, WORD, WORD, WORD),
}


def values(field: dict[str, Any]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), BY_FORMAT.get(field.get("format", ""), BY_TYPE[field["type"]]))


FAST_PHASES = [Phase.explicit, Phase.generate, Phase.shrink]
ROW = st.tuples(*[values(f) for f in DEFINITION.fields]).map(list)


def type_rejected(row: list[str]) -> list[tuple[str, str]]:
    """The values whose type the validator rejects (frictionless's cell reader's verdict)."""
    return [(name, value) for name, read, value in zip(DEFINITION.field_names, READERS, row, strict=True)
            if "type" in (read(value)[1] or {})]  # fmt: skip


def published(folder: Path, rows: list[list[str]]) -> tuple[Path, list[dict[str, Any]]]:
    writer = DatasetWriter(folder, "272248_cultural_property", DEFINITION)
    writer.write(rows)
    files = writer.finish({})
    records = json.loads(files["json"].read_text(encoding="utf-8"), parse_constant=_no_constant)
    return files["csv"], records


def _no_constant(name: str) -> None:
    raise AssertionError(f"the JSON file holds {name}: not JSON")


def same(text: str, kind: str, got: Any) -> bool:
    """Whether `got`, read back, is the value the CSV's `text` says."""
    if text == "":
        return got is None
    if isinstance(got, str):
        return got == text
    if kind == "integer":
        return isinstance(got, int) and got == int(text)
    if kind == "number":
        return isinstance(got, float) and got == float(text)
    return False


# No example database (nothing written into the checkout); no explain phase (minutes on a
# failure). One store per back end serves every example: each load replaces the last one's.
@settings(max_examples=100, deadline=None, database=None, phases=FAST_PHASES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(rows=st.lists(ROW, min_size=1, max_size=3))
def test_any_value_the_validator_accepts_is_stored_and_read_back(
    rows_store: RowsStore, rows: list[list[str]]
) -> None:
    store = rows_store
    assert [type_rejected(r) for r in rows] == [[]] * len(rows)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, records = published(Path(tmp), rows)
        with csv_path.open(encoding="utf-8", newline="") as fh:
            texts = list(csv.reader(fh))[1:]
        store.load(
            "roundtrip", DEFINITION, "272248", csv_path, sha256(csv_path.read_bytes()).hexdigest()
        )
    page = run(store, Query.of(DEFINITION, datasets=["roundtrip"], limit=MAX_LIMIT))
    served = json.loads(json.dumps(page.rows, allow_nan=False))  # as the API renders it
    assert len(served) == len(texts) == len(records)
    for text_row, row, record in zip(texts, served, records, strict=True):
        for name, kind, text in zip(DEFINITION.field_names, TYPES, text_row, strict=True):
            assert same(text, kind, row[name]), (name, text, row[name])
            assert row[name] == record[name]  # the JSON download says the same
