"""Experiments behind bench/FRICTIONLESS-SEMANTICS.md, and a check of its rules.

    .venv/bin/python bench/frictionless_semantics.py experiments   # print every example
    .venv/bin/python bench/frictionless_semantics.py emulate        # rules vs frictionless
    .venv/bin/python bench/frictionless_semantics.py emulate --fuzz 300

`experiments` runs each minimal example of the notes through
`frictionless.validate(Resource(name, basepath=tmp, schema=...), limit_errors=10**6)`
and prints `report.flatten(["rowNumber", "fieldNumber", "fieldName", "type", "note"])`.

`emulate` is the notes' algorithm written out in plain Python (csv module + one
cell reader per field, applied to each distinct value): it compares the multiset
of (rowNumber, fieldName, type) with what frictionless reports, on every CSV of
tests/data/parity and on `--fuzz N` random mutations of them (cells replaced by
tricky values, rows cut or lengthened, blank lines, header cells renamed, blanked,
duplicated, dropped or added, a title or blank line above the header). Any difference is printed; exit status 1 if any.
It handles what our schemas use (exact fields match, comma CSV, UTF-8, types
string/integer/number/date, formats uri/email, constraints required/pattern/enum/
minimum/maximum/unique, schema- and field-level missingValues), not the rest.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import sys
import tempfile
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "data" / "parity"
FLAT = ["rowNumber", "fieldNumber", "fieldName", "type", "note"]


# ---------------------------------------------------------------------------
# Running frictionless


def run(
    content: str | bytes,
    fields: list[dict[str, Any]] | None = None,
    *,
    schema: dict[str, Any] | None = None,
    keys: list[str] = FLAT,
    **resource_options: Any,
) -> list[list[Any]]:
    """Validate `content` (written to a temp file) and return the flattened errors."""
    from frictionless import Resource, Schema, validate

    descriptor = schema if schema is not None else {"fields": fields}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "t.csv")
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        resource = Resource(
            "t.csv", basepath=tmp, schema=Schema.from_descriptor(descriptor), **resource_options
        )
        report = validate(resource, limit_errors=10**6)
        return report.flatten(keys)


def S(*names: str, type: str = "string", **constraints: Any) -> list[dict[str, Any]]:
    """Fields of one type, e.g. S("a", "b", type="integer", required=True)."""
    extra = {"constraints": constraints} if constraints else {}
    return [{"name": n, "type": type, **extra} for n in names]


EXPERIMENTS: list[tuple[str, str, str | bytes, dict[str, Any]]] = [
    # a. row numbers
    ("a1", "plain", "a,b\n1,2\n3,4\n", {"fields": S("a", "b", type="integer")}),
    ("a2", "quoted line break", 'a,b\n"x\ny",2\n3\n', {"fields": S("a", "b")}),
    ("a3", "blank line in the middle", "a,b\n1,2\n\n3\n", {"fields": S("a", "b")}),
    ("a4", "blank lines at the end", "a,b\n1,2\n\n\n", {"fields": S("a", "b")}),
    ("a5", "first line blank", "\na,b\n1,x\n", {"fields": S("a", "b", type="integer")}),
    ("a6", "CRLF", "a,b\r\n1,2\r\n\r\n3\r\n", {"fields": S("a", "b")}),
    # b. header
    ("b1", "incorrect label", "a,x,c\n1,2,3\n", {"fields": S("a", "b", "c")}),
    ("b2", "swapped labels", "b,a\n1,x\n", {"fields": S("a") + S("b", type="integer")}),
    ("b3", "blank label", "a,,c\n1,2,3\n", {"fields": S("a", "b", "c")}),
    ("b4", "duplicate label", "a,a,c\n1,2,3\n", {"fields": S("a", "b", "c")}),
    (
        "b5",
        "fewer labels (required c)",
        "a,b\n1,2\n1,2,3\n",
        {"fields": S("a", "b") + S("c", required=True)},
    ),
    ("b6", "more labels", "a,b,c,d\n1,2,3,4\n1,2,3\n", {"fields": S("a", "b", "c")}),
    ("b7", "trailing comma in header", "a,b,\n1,2,\n1,2\n", {"fields": S("a", "b")}),
    ("b8", "extra label named like a field", "a,b,b\n1,2\n", {"fields": S("a", "b")}),
    ("b9", "labels are stripped, case-sensitive", " a ,B\n1,2\n", {"fields": S("a", "b")}),
    ("b10", "all labels blank", ",\n1,2\n", {"fields": S("a", "b")}),
    ("b11", "header only", "a,b\n", {"fields": S("a", "b", required=True)}),
    ("b12", "empty file", "", {"fields": S("a", "b")}),
    # c. rows
    ("c1", "short row", "a,b,c\nx\n", {"fields": S("a", "b", required=True) + S("c")}),
    ("c2", "long row", "a,b\n1,2,3,4\n", {"fields": S("a", "b")}),
    ("c3", "row of empty cells", "a,b\n,\n", {"fields": S("a", "b", required=True)}),
    ("c4", "empty cells beyond the header", "a,b\n,,,\n", {"fields": S("a", "b")}),
    (
        "c5",
        "some cells blank",
        "a,b,c\n,y,\nx,,\n",
        {"fields": S("a", "b", required=True) + S("c")},
    ),
    (
        "c6",
        "flags with field missingValues []",
        "g,f\nx,1\nx,\nx, \n,\n\nx\n",
        {
            "fields": S("g", required=True)
            + [
                {
                    "name": "f",
                    "type": "string",
                    "missingValues": [],
                    "constraints": {"enum": ["1", ""], "required": True},
                }
            ]
        },
    ),
    (
        "c7",
        "schema missingValues replace the default",
        "a,b\nNA,1\n-,\nNA,-\n",
        {
            "fields": S("a", type="integer", required=True) + S("b", type="integer"),
            "missingValues": ["NA", "-"],
        },
    ),
    # d. types through validate
    (
        "d1",
        "type error and constraints on one cell",
        "a,b\nzz,3\n,x\n",
        {
            "fields": S("a", type="integer", required=True, minimum=5)
            + S("b", type="integer", enum=[1, 2])
        },
    ),
    # e. constraints
    (
        "e1",
        "unique",
        "id\nA\nB\nA\n\n\nA\nB\n",
        {"fields": S("id", unique=True)},
    ),
    (
        "e2",
        "unique after casting",
        "id\n1\n01\n+1\nx\nx\n",
        {"fields": S("id", type="integer", unique=True)},
    ),
    (
        "e3",
        "primary key",
        "id,v\nA,1\nA,2\n,3\n,\n",
        {"fields": S("id", "v"), "primaryKey": ["id"]},
    ),
    (
        "e4",
        "pattern is ^(...)$ with re.match",
        'a\n123456\n1234567\nx123456\n"123456\n"\n',
        {"fields": S("a", pattern="[0-9]{6}")},
    ),
    (
        "e5",
        "pattern alternation without a group",
        "t\n09:00\n24:00\n25:00\n09:00xyz\nxx24:00\n9:00\n",
        {"fields": S("t", pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00")},
    ),
    ("e6", "enum is cast", "e\n1\n01\n1.0\n3\n", {"fields": S("e", type="integer", enum=[1, "2"])}),
    ("e7", "enum is exact", "e\n階数\n 階数\nx\n", {"fields": S("e", enum=["階数", "標高"])}),
    (
        "e8",
        "minimum/maximum",
        "n\n19.9\n20\n46.0000001\nNaN\nInfinity\n",
        {"fields": S("n", type="number", minimum=20.0, maximum=46.0)},
    ),
    (
        "e9",
        "minLength/maxLength, several constraints",
        "s\nab\nabcd\nあいう\nx\n",
        {"fields": S("s", minLength=2, maxLength=3, enum=["ab", "あいう"])},
    ),
]


def experiments() -> None:
    for key, title, content, schema in EXPERIMENTS:
        print(f"### {key} {title}")
        print(f"    csv: {content!r}")
        print(f"    schema: {json.dumps(schema, ensure_ascii=False)}")
        for row in run(content, schema=schema):
            print(f"    {json.dumps(row, ensure_ascii=False)}")
        print()
    print("### f limits")
    body = "a\n" + "x\n" * 2500
    from frictionless import Resource, Schema, validate

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "t.csv").write_text(body)
        schema = Schema.from_descriptor({"fields": S("a", type="integer")})
        for options in ({}, {"limit_errors": 10}, {"limit_rows": 5}):
            report = validate(Resource("t.csv", basepath=tmp, schema=schema), **options)
            task = report.tasks[0]
            stats = {k: v for k, v in task.stats.items() if k not in ("seconds", "md5", "sha256")}
            print(f"    {options}: {len(task.errors)} errors, {stats}, {task.warnings}")
    print()
    print("### g encodings")
    text = "名称,人口\n摂津市,86000\n千里丘１丁目,1200\n"
    fields = S("名称") + S("人口", type="integer")
    for name, data in [
        ("cp932", text.encode("cp932")),
        ("cp932 short", "a,b\n摂津,市\n".encode("cp932")),
        ("utf-8-sig", text.encode("utf-8-sig")),
        ("utf-16 (BOM)", text.encode("utf-16")),
        ("utf-16-le (no BOM)", text.encode("utf-16-le")),
        (
            "utf-8 then cp932 at 120 kB",
            ("名称,人口\n" + "x,1\n" * 30000).encode() + "摂津,1\n".encode("cp932"),
        ),
    ]:
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "t.csv").write_bytes(data)
            f = fields if "short" not in name else S("a", "b")
            resource = Resource("t.csv", basepath=tmp, schema=Schema.from_descriptor({"fields": f}))
            report = validate(resource)
            task = report.tasks[0]
            flat = report.flatten(["rowNumber", "fieldName", "type"])
            print(
                f"    {name}: encoding={resource.encoding} labels={task.labels[:2]} errors={flat[:3]}"
            )


# ---------------------------------------------------------------------------
# The rules, written out


class Reader:
    """One field's cell reader: (value, [error types]) for a raw cell (None = missing)."""

    def __init__(self, field: dict[str, Any], schema_missing: list[str]) -> None:
        self.type = field.get("type", "any")
        self.format = field.get("format", "default")
        self.missing = field["missingValues"] if "missingValues" in field else schema_missing
        c = field.get("constraints", {})
        self.required = bool(c.get("required"))
        self.pattern = re.compile(f"^{c['pattern']}$") if "pattern" in c else None
        self.enum = [self.cast(v) for v in c["enum"]] if "enum" in c else None
        self.minimum = self.cast(c["minimum"]) if "minimum" in c else None
        self.maximum = self.cast(c["maximum"]) if "maximum" in c else None
        self.cache: dict[Any, tuple[Any, list[str]]] = {}

    def cast(self, cell: Any) -> Any:
        """The parsed value, or None for a type error."""
        if self.type == "any":
            return cell
        if self.type == "string":
            if not isinstance(cell, str):
                return None
            if self.format == "uri":
                return cell if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", cell) else None
            if self.format == "email":
                import validators

                return cell if validators.email(cell) is True else None
            return cell
        if self.type == "integer":
            if isinstance(cell, bool):
                return None
            if isinstance(cell, int):
                return cell
            try:
                return int(cell.strip())
            except (ValueError, AttributeError):
                return None
        if self.type == "number":
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                return Decimal(str(cell))
            try:
                return Decimal(cell.strip())
            except Exception:
                return None
        if self.type == "date":
            try:
                return datetime.strptime(cell, "%Y-%m-%d").date()
            except (ValueError, TypeError):
                return None
        raise NotImplementedError(self.type)

    def read(self, cell: str | None) -> tuple[Any, list[str]]:
        if cell in self.cache:
            return self.cache[cell]
        value: Any = None if str(cell) in self.missing else cell
        errors: list[str] = []
        if value is not None:
            value = self.cast(value)
            if value is None:
                errors.append("type-error")
        if not errors:
            if self.required and value is None:
                errors.append("constraint-error")
            if value is not None:
                if self.pattern and not self.pattern.match(value):
                    errors.append("constraint-error")
                if self.enum is not None and value not in self.enum:
                    errors.append("constraint-error")
                if self.minimum is not None and (value != value or value < self.minimum):
                    errors.append("constraint-error")
                if self.maximum is not None and (value != value or value > self.maximum):
                    errors.append("constraint-error")
        self.cache[cell] = (value, errors)
        return value, errors


SAMPLE_SIZE = 100


def detect_header_row(records: list[list[str]]) -> int:
    """Detector.detect_dialect: the first of the first 100 records whose width is
    within 10% (at least 1) of their rounded mean width; row 1 if none is."""
    widths = [len(cells) for cells in records[:SAMPLE_SIZE]]
    if not widths:
        return 1
    width = round(sum(widths) / len(widths))
    drift = max(round(width * 0.1), 1)
    for row_number, w in enumerate(widths, start=1):
        if width - drift <= w <= width + drift:
            return row_number
    return 1


def emulate(data: bytes, schema: dict[str, Any]) -> list[tuple[Any, Any, str]]:
    """(rowNumber, fieldName, type) for a UTF-8 comma CSV, exact fields match."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    schema_missing = schema.get("missingValues", [""])
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    out: list[tuple[Any, Any, str]] = []
    header_row = detect_header_row(records)
    labels = [c.strip() for c in records[header_row - 1]] if len(records) >= header_row else []
    if not labels and not records[header_row:SAMPLE_SIZE]:
        return [(None, None, "source-error")]

    # header
    columns: list[dict[str, Any]] = fields
    if labels:
        for _ in range(len(fields), len(labels)):
            out.append((None, "", "extra-label"))
        for name in names[len(labels) :]:
            out.append((None, name, "missing-label"))
        for position, (name, label) in enumerate(zip(names, labels, strict=False)):
            if not label:
                out.append((None, name, "blank-label"))
            elif label in labels[:position]:
                out.append((None, name, "duplicate-label"))
            elif label != name:
                out.append((None, name, "incorrect-label"))
        columns = list(fields[: len(labels)])
        used = set(names[: len(labels)])
        for label in labels[len(fields) :]:
            name, suffix = label, 2
            while name in used:
                name, suffix = f"{label}{suffix}", suffix + 1
            used.add(name)
            columns.append({"name": name, "type": "any"})
    readers = [Reader(c, schema_missing if c["type"] != "any" else [""]) for c in columns]
    uniques = {i: {} for i, c in enumerate(columns) if c.get("constraints", {}).get("unique")}

    # rows (the records above the header row are skipped silently)
    for row_number, cells in enumerate(records[header_row:], start=header_row + 1):
        row: list[tuple[Any, Any, str]] = []
        blank = 0
        values = []
        for i, (column, reader) in enumerate(zip(columns, readers, strict=True)):
            cell = cells[i] if i < len(cells) else None
            value, errors = reader.read(cell)
            values.append(value)
            blank += value is None and "type-error" not in errors
            row += [(row_number, column["name"], e) for e in errors]
        row += [(row_number, "", "extra-cell") for _ in cells[len(columns) :]]
        row += [(row_number, c["name"], "missing-cell") for c in columns[len(cells) :]]
        if blank == len(columns):
            row = [(row_number, None, "blank-row")]
        for i, seen in uniques.items():
            if values[i] is not None:
                if values[i] in seen:
                    row.append((row_number, columns[i]["name"], "unique-error"))
                seen[values[i]] = row_number
        out += row
    return out


# ---------------------------------------------------------------------------
# Comparing the rules with frictionless

TRICKY = [
    "", " ", "  ", "x", "-", "0", "1", "-1", "+1", " 1", "1 ", "01", "1.0", "1,000", "1e3",
    "1_000", "１２", "NaN", "Infinity", "-inf", ".5", "5.", "34.77", "135.5", "46", "20",
    "2026-04-01", "2026-4-1", "2026/04/01", "20260401", "2026-02-30", "有", "無", "あり",
    "階数", "標高", " 有", "09:00", "24:00", "9:00", "09:00xyz", "25:00", "272248", "27224",
    "272248\n", "２７２２４８", "PT0001", "PT 1", "ES0001", "セッツ", "せっつ", "http://x.jp/",
    "https://例え.jp/a b", "www.x.jp", "ATTACH/a.jpg", "c:\\a.jpg", "//x.jp", "a@b.jp",
    "a@b", "あ@b.jp", "a@b.jp ", "06-6383-1111", "5668555", "566-8555", "NA", "None",
]  # fmt: skip


def mutate(rng: random.Random, data: bytes, names: list[str]) -> bytes:
    records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    header, rows = records[0], records[1:]
    for _ in range(rng.randint(1, 12)):
        row = rng.choice(rows)
        if row:
            row[rng.randrange(len(row))] = rng.choice(TRICKY)
    for _ in range(rng.randint(0, 2)):
        row = rng.choice(rows)
        del row[rng.randint(0, len(row)) :]
    for _ in range(rng.randint(0, 2)):
        rng.choice(rows).extend(rng.choice(TRICKY) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.3:
        rows.insert(rng.randint(0, len(rows)), [])
    if rng.random() < 0.3:
        rows.insert(rng.randint(0, len(rows)), [""] * rng.randint(1, len(header) + 3))
    if rng.random() < 0.3:  # copy an ID-like value down to make duplicates
        src, dst = rng.choice(rows), rng.choice(rows)
        if src and dst:
            k = min(len(src), len(dst), 2) - 1
            dst[k] = src[k]
    for _ in range(rng.choice([0, 0, 1, 2])):
        i = rng.randrange(len(header))
        header[i] = rng.choice(["", rng.choice(names), header[i] + "x", f" {header[i]} "])
    if rng.random() < 0.15:
        header.pop()
    if rng.random() < 0.15:
        header.append(rng.choice(["", "追加", names[-1]]))
    preamble = []
    if rng.random() < 0.1:  # a title line, or a blank first line
        preamble = [rng.choice([[], ["地域・年齢別人口（令和8年4月1日現在）"], ["出典", "摂津市"]])]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=rng.choice(["\n", "\r\n"]))
    writer.writerows([*preamble, header, *rows])
    return buffer.getvalue().encode("utf-8")


def compare(fuzz: int, seed: int) -> int:
    from frictionless import Resource, Schema, validate

    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    cases: list[tuple[str, bytes, dict[str, Any]]] = []
    for rel, entry in manifest["files"].items():
        schema = json.loads((REPO / entry["schema"]).read_text(encoding="utf-8"))
        cases.append((rel, (CORPUS / rel).read_bytes(), schema))
    rng = random.Random(seed)
    sources = [c for c in cases if c[1]]
    for n in range(fuzz):
        rel, data, schema = rng.choice(sources)
        names = [f["name"] for f in schema["fields"]]
        cases.append((f"fuzz{n}:{rel}", mutate(rng, data, names), schema))

    failures = skipped = 0
    for rel, data, schema in cases:
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "t.csv").write_bytes(data)
            resource = Resource("t.csv", basepath=tmp, schema=Schema.from_descriptor(schema))
            report = validate(resource, limit_errors=10**6)
            if report.tasks and resource.dialect.get_control("csv").to_descriptor() != {
                "type": "csv"
            }:
                skipped += 1  # the sniffer chose another dialect; the rules assume commas
                continue
            expected = Counter(map(tuple, report.flatten(["rowNumber", "fieldName", "type"])))
        got = Counter(emulate(data, schema))
        if got != expected:
            failures += 1
            print(
                f"DIFF {rel}: frictionless-only {dict(expected - got)} rules-only {dict(got - expected)}"
            )
    compared = len(cases) - skipped
    print(f"{compared} tables compared, {failures} differ ({skipped} skipped: not sniffed as CSV)")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["experiments", "emulate"])
    parser.add_argument("--fuzz", type=int, default=0, help="random mutated tables to add")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == "experiments":
        experiments()
        return 0
    return compare(args.fuzz, args.seed)


if __name__ == "__main__":
    sys.exit(main())
