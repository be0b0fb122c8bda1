"""`validate()`: one file against the standard, start to finish."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from portal.formats import Limits, SourceInfo, Table
from portal.formats.layout_reader import Layout, read_table
from portal.layout import is_blank, is_note_row, is_sparse
from portal.localgov import Directory, LocalGov, is_valid
from portal.standards import Definition, Registry
from portal.standards.detect import Detection, compare, detect
from portal.validation import catalogue, rulesets
from portal.validation.catalogue import Finding
from portal.validation.column_map import POSITION, ColumnMap, english_keys, match_header
from portal.validation.engine import TableValidator
from portal.validation.report import Findings, Report
from portal.workspace import Workspace

# Sparse rows held back at a time to tell notes under the table from data (see _feed).
MAX_HELD_ROWS = 1_000
PUBLISHER_FIELDS = ("全国地方公共団体コード", "都道府県コード又は市区町村コード", "市区町村コード")


@dataclass
class Options:
    dataset: str | None = None  # a dataset key (aed, legacy/aed); detected from the header if None
    definition: Definition | None = None  # or a definition not under datasets/ (a city's own)
    sheet: str | int | None = None
    encoding: str | None = None
    lgcode: str | None = None  # the publishing body; taken from the data if None
    per_group: int | None = 100  # findings kept per (code, field); all are counted
    chunk_rows: int = 2_000
    limits: Limits = field(default_factory=Limits)


def validate(path: Path, workspace: Workspace, options: Options | None = None) -> Report:
    """Validate a CSV or spreadsheet against its standard dataset; raises only if unreadable."""
    options = options or Options()
    started = time.perf_counter()
    registry = workspace.registry
    report = Report(file=path.name, format="", findings=Findings(options.per_group))
    known = {name for d in registry.all() for name in d.field_names}
    with read_table(
        path, sheet=options.sheet, encoding=options.encoding, limits=options.limits, known=known
    ) as table:
        _describe_source(report, table.info)
        layout = table.layout
        report.header_row = layout.header_row
        _file_findings(report, table.table, layout)
        definition: Definition | None
        if options.definition is not None:
            definition, detection = options.definition, compare(layout.header, options.definition)
        else:
            definition, detection = _choose(registry, layout.header, options.dataset)
        report.detection = detection.to_dict()
        if definition is None:
            report.findings.add(_needs_conversion(detection))
        else:
            _validate_rows(report, workspace, options, definition, layout, table.body, table.rest)
    report.seconds = time.perf_counter() - started
    return report


def _describe_source(report: Report, info: SourceInfo) -> None:
    report.format = info.format
    report.encoding = info.encoding
    report.sheet = info.sheet


def _file_findings(report: Report, table: Table, layout: Layout) -> None:
    info, add = table.info, report.findings.add
    if info.format == "csv" and info.encoding not in ("utf-8", "utf-8-sig"):
        add(catalogue.make("encoding-not-utf8", encoding=info.encoding))
    if layout.title_rows:
        add(catalogue.make("title-rows", row=layout.title_rows[0], rows=_span(layout.title_rows)))
    if layout.header_rows > 1:
        rows = list(range(layout.header_row, layout.header_row + layout.header_rows))
        add(catalogue.make("header-rows", row=layout.header_row, rows=_span(rows)))
    if layout.type_rows:  # LinkData's #object_type_xsd … rows (catalogue-layout.yaml)
        add(catalogue.make("linkdata-type-rows", row=layout.type_rows[0], rows=_span(layout.type_rows)))  # fmt: skip
    for feature in table.features:
        code = feature.kind
        value = feature.column if code == "hidden-column" else feature.ref
        add(catalogue.make(code, row=feature.row, value=value))


def _span(rows: Sequence[int]) -> str:
    return f"{rows[0]}–{rows[-1]}" if len(rows) > 1 else str(rows[0])


def _choose(
    registry: Registry, header: list[str], key: str | None
) -> tuple[Definition | None, Detection]:
    if key:
        chosen = registry.get(key)
        return chosen, compare(header, chosen)
    detection = detect(header, registry)
    return detection.definition, detection


def _needs_conversion(detection: Detection) -> catalogue.Finding:
    target = detection.resembles
    if detection.layout and target:
        en = f"this is the {detection.layout} layout ({detection.layout_title}), not the standard; it converts to {target.key} ({target.title_ja})"
        ja = f"これは{detection.layout_title}の形式で、標準の形式ではありません。{target.title_ja}（{target.key}）に変換できます"
    elif target:
        en = f"the columns do not follow a standard dataset; the closest is {target.key} ({target.title_ja}, {detection.score:.0%} of the columns match)"
        ja = f"列の構成が標準データセットの形式ではありません。最も近いのは{target.title_ja}（{target.key}、列の一致 {detection.score:.0%}）です"
    else:
        en = "the columns do not resemble any standard dataset"
        ja = "列の構成がどの標準データセットにも当てはまりません"
    return catalogue.make("needs-conversion", detail_en=en, detail_ja=ja)


def _publisher(
    directory: Directory, lgcode: str | None, columns: ColumnMap, body: Sequence[list[str]]
) -> LocalGov | None:
    """The publishing body: as given, else the most common valid code in the data."""
    if lgcode:
        return directory.lookup(lgcode)
    names = columns.names
    field = next((names.index(f) for f in PUBLISHER_FIELDS if f in names), None)
    index = None if field is None else columns.sources[field]
    if index is None:
        return None
    codes = Counter(r[index].strip() for r in body if len(r) > index and is_valid(r[index].strip()))
    for code, _ in codes.most_common():
        if directory.get(code):
            return directory.get(code)
    return None


def _validate_rows(
    report: Report,
    workspace: Workspace,
    options: Options,
    definition: Definition,
    layout: Layout,
    body: list[list[str]],
    rest: Iterator[list[str]],
) -> None:
    report.dataset, report.version, report.title_ja = (
        definition.key,
        definition.version,
        definition.title_ja,
    )
    report.fields = len(definition.fields)
    if definition.version == "legacy":
        report.findings.add(
            catalogue.make(
                "legacy-layout", title_ja=definition.title_ja, current_key=definition.slug
            )
        )
    directory = workspace.directory
    columns = match_header(layout.header, definition.field_names, english_keys(definition.fields))
    _describe_columns(report, columns)
    publisher = _publisher(directory, options.lgcode, columns, body)
    ruleset = rulesets.load(
        workspace.validators_dir, definition.slug, publisher.lgcode if publisher else None
    )
    findings = _SaysHowMatched(report.findings, columns)
    validator = TableValidator(
        definition, layout.header, ruleset, directory, publisher, findings, columns
    )
    validator.check_labels()
    rows = chain(body, rest)
    tail = _feed(validator, rows, layout.first_data_row, options.chunk_rows, layout.width)
    _finish_tail(validator, report, tail, layout.width)
    validator.finish()
    report.rows = validator.rows


def _describe_columns(report: Report, columns: ColumnMap) -> None:
    """The report says how each column was matched, and which fields no column feeds."""
    listed = columns.to_list()
    report.detection["columns"] = listed
    report.detection["missing"] = [
        n for n, s in zip(columns.names, columns.sources, strict=True) if s is None
    ]
    report.detection["unmatched"] = [
        c["label"] for c in listed if c["label"].strip() and c["how"] in (None, POSITION)
    ]


class _SaysHowMatched(Findings):
    """The report's findings, each about a column matched by position alone saying so, and
    numbered by the file's column where the column is not where the standard puts it."""

    def __init__(self, into: Findings, columns: ColumnMap) -> None:
        super().__init__(into.per_group)
        self.into, self.columns = into, columns

    def add(self, finding: Finding) -> None:
        if finding.field is not None and finding.field in self.columns.names:
            finding = _renumbered(finding, self.columns)
            finding = _position_noted(finding, self.columns)
        self.into.add(finding)


def _renumbered(finding: Finding, columns: ColumnMap) -> Finding:
    j = columns.names.index(finding.field or "")
    source = columns.sources[j]
    if source is None or source == j or finding.field_number != j + 1:
        return finding
    if "{field_number}" not in catalogue.entry(finding.code)["message_en"]:
        return dataclasses.replace(finding, field_number=source + 1)
    return catalogue.make(
        finding.code, row=finding.row, field=finding.field, field_number=source + 1,
        value=finding.value, fix=finding.fix, note=finding.note, type=finding.type,
        severity=finding.severity, **finding.params,
    )  # fmt: skip


def _position_noted(finding: Finding, columns: ColumnMap) -> Finding:
    column = columns.by_position(finding.field or "")
    if column is None:
        return finding
    label, field = columns.header[column].strip(), finding.field
    en = (f"column {column + 1} '{label}' was taken as '{field}' by its position alone: "
          "its name does not say it is this field")  # fmt: skip
    ja = f"{column + 1}列目「{label}」は位置だけで「{field}」と見なしました（列名からはこの項目と分かりません）"
    return dataclasses.replace(
        finding,
        note=f"{finding.note}; {en}" if finding.note else en,
        message_en=f"{finding.message_en} [{en}]",
        message_ja=f"{finding.message_ja}［{ja}］",
    )


def _feed(
    validator: TableValidator, rows: Iterator[list[str]], first: int, chunk_rows: int, width: int
) -> list[tuple[int, list[str]]]:
    """Send rows in chunks. Blank and note-like rows at the end of a chunk are held back
    until a data row follows them, so that notes under the table can be told apart.
    Returns the rows still held at the end of the file."""
    held: list[tuple[int, list[str]]] = []
    number = first
    while batch := list(islice(rows, chunk_rows)):
        numbers = range(number, number + len(batch))
        number += len(batch)
        keep = len(batch)
        while keep and is_sparse(batch[keep - 1], width):
            keep -= 1
        if keep == 0:
            held = _hold(validator, held, zip(numbers, batch, strict=True))
            continue
        send_numbers = [n for n, _ in held] + list(numbers[:keep])
        validator.check_chunk(send_numbers, [r for _, r in held] + batch[:keep])
        held = list(zip(numbers[keep:], batch[keep:], strict=True))
    return held


def _hold(
    validator: TableValidator,
    held: list[tuple[int, list[str]]],
    more: Iterable[tuple[int, list[str]]],
) -> list[tuple[int, list[str]]]:
    """Hold sparse rows back, at most MAX_HELD_ROWS: more than that in a row are not notes
    under a table (an export's thousands of empty rows), and are checked as rows now."""
    held += more
    if len(held) > MAX_HELD_ROWS:
        sent, held = held[:-MAX_HELD_ROWS], held[-MAX_HELD_ROWS:]
        validator.check_chunk([n for n, _ in sent], [r for _, r in sent])
    return held


def _finish_tail(
    validator: TableValidator, report: Report, tail: list[tuple[int, list[str]]], width: int
) -> None:
    """Rows after the last data row: notes are reported once; blank rows as frictionless does."""
    notes = [n for n, r in tail if not is_blank(r)]
    if notes and any(is_note_row(r, width) for _, r in tail):
        report.findings.add(catalogue.make("note-rows", row=notes[0], rows=_span(notes)))
        tail = [(n, r) for n, r in tail if is_blank(r)]
    if tail:
        validator.check_chunk([n for n, _ in tail], [r for _, r in tail])


class StreamValidator:
    """Validate rows as they are produced — the converter's output — without writing and
    re-reading a file: the same checks as `validate()` on that file, row numbers included."""

    def __init__(self, workspace: Workspace, definition: Definition, lgcode: str | None, file_name: str,
                 per_group: int | None = 100) -> None:  # fmt: skip
        self.started = time.perf_counter()
        self.report = Report(
            file=file_name, format="csv", encoding="utf-8", findings=Findings(per_group)
        )
        self.report.header_row = 1
        self.report.dataset, self.report.version = definition.key, definition.version
        self.report.title_ja, self.report.fields = definition.title_ja, len(definition.fields)
        self.report.detection = compare(definition.field_names, definition).to_dict()
        directory = workspace.directory
        publisher = directory.get(lgcode) if lgcode else None
        ruleset = rulesets.load(
            workspace.validators_dir, definition.slug, lgcode if publisher else None
        )
        self.validator = TableValidator(
            definition, definition.field_names, ruleset, directory, publisher, self.report.findings
        )
        self.validator.check_labels()
        self.next_row = 2

    def add(self, rows: list[list[str]]) -> None:
        if rows:
            self.validator.check_chunk(range(self.next_row, self.next_row + len(rows)), rows)
            self.next_row += len(rows)

    def finish(self) -> Report:
        self.validator.finish()
        self.report.rows = self.validator.rows
        self.report.seconds = time.perf_counter() - self.started
        return self.report
