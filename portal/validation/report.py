"""The validation report: counts of everything, details of the first findings per group.

JSON shape (documented in the README):
{"valid", "file", "format", "encoding", "sheet", "dataset", "version", "title_ja",
 "detection", "header_row", "stats": {...}, "groups": [...], "errors": [...], "truncated"}
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from typing import Any

from portal.validation.catalogue import Finding, entry

GroupKey = tuple[str, str | None]  # (code, field)


@dataclass
class Group:
    code: str
    field: str | None
    severity: str
    count: int = 0
    findings: list[Finding] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        spec = entry(self.code)
        return {
            "code": self.code,
            "field": self.field,
            "severity": self.severity,
            "title_en": spec["title_en"],
            "title_ja": spec["title_ja"],
            "count": self.count,
            "rows": [f.row for f in self.findings if f.row is not None],
        }


class Findings:
    """Every finding counted; the first `per_group` of each (code, field) kept."""

    def __init__(self, per_group: int | None = 100) -> None:
        self.per_group = per_group
        self.groups: dict[GroupKey, Group] = {}
        self.by_severity: Counter[str] = Counter()
        self.by_code: Counter[str] = Counter()

    def add(self, finding: Finding) -> None:
        key = (finding.code, finding.field)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Group(finding.code, finding.field, finding.severity)
        group.count += 1
        if self.per_group is None or len(group.findings) < self.per_group:
            group.findings.append(finding)
        self.by_severity[finding.severity] += 1
        self.by_code[finding.code] += 1

    def extend(self, findings: list[Finding]) -> None:
        for f in findings:
            self.add(f)

    @property
    def truncated(self) -> bool:
        return any(g.count > len(g.findings) for g in self.groups.values())

    def kept(self) -> list[Finding]:
        out = [f for g in self.groups.values() for f in g.findings]
        return sorted(out, key=lambda f: (f.row or 0, f.field_number or 0, f.code))

    def ordered_groups(self) -> list[Group]:
        """Errors before warnings, then by where the problem first appears."""

        def first_row(g: Group) -> int:
            return min((f.row or 0 for f in g.findings), default=0)

        return sorted(
            self.groups.values(), key=lambda g: (g.severity != "error", first_row(g), g.code)
        )


@dataclass
class Report:
    file: str
    format: str
    encoding: str | None = None
    sheet: str | None = None
    dataset: str | None = None
    version: str | None = None
    title_ja: str | None = None
    detection: dict[str, Any] = dataclasses.field(default_factory=dict)
    header_row: int | None = None
    rows: int = 0
    fields: int = 0
    seconds: float = 0.0
    findings: Findings = dataclasses.field(default_factory=Findings)

    @property
    def errors(self) -> int:
        return self.findings.by_severity["error"]

    @property
    def warnings(self) -> int:
        return self.findings.by_severity["warning"]

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "dataset": self.dataset,
            "version": self.version,
            "title_ja": self.title_ja,
            "detection": self.detection,
            "header_row": self.header_row,
            "stats": {
                "rows": self.rows,
                "fields": self.fields,
                "errors": self.errors,
                "warnings": self.warnings,
                "by_code": dict(sorted(self.findings.by_code.items())),
                "seconds": round(self.seconds, 3),
            },
            "groups": [g.to_dict() for g in self.findings.ordered_groups()],
            "errors": [f.to_dict() for f in self.findings.kept()],
            "truncated": self.findings.truncated,
        }
