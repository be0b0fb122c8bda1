"""What the upload flow answers and accepts, as typed models (pydantic): the pages render them,
the API returns them as JSON (`model_dump(mode="json")`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# needs-choice: suggest was not sure which standard dataset this is; a person chooses.
# draft: a dataset is set; mapping, preview and metadata may change. submitted: waits for
# an approver (nothing can change). published: in the catalogue.
UploadState = Literal["needs-choice", "draft", "submitted", "published"]
STATES: tuple[UploadState, ...] = ("needs-choice", "draft", "submitted", "published")


class Candidate(BaseModel):
    """A standard dataset the file may be, ranked by how well the file fits it (0–1), with
    the evidence (its columns, its title rows, sheet and file name naming it …)."""

    dataset: str  # the registry key, e.g. "aed"
    title_ja: str
    score: float
    evidence: list[str] = Field(default_factory=list)  # English
    evidence_ja: list[str] = Field(default_factory=list)  # the same in Japanese


class Doubt(BaseModel):
    """Something a person must know about the dataset choice (the file names a kind of
    table the reference has no dataset for; the candidates are too close to call)."""

    en: str
    ja: str


class Normaliser(BaseModel):
    """One step of a field's normalisation, as the recipe names it (`date`, `replace`, …)
    with its option (None when it takes none)."""

    name: str
    option: Any = None


class FieldMapping(BaseModel):
    """Where one field of the standard dataset comes from, as the recipe says."""

    field: str
    required: bool = False  # ◎ in the standard
    sources: list[str] = Field(default_factory=list)  # source columns (joined when several)
    join: str = ""
    constant: str | None = None  # the same value in every row (e.g. the publisher's code)
    normalize: list[Normaliser] = Field(default_factory=list)
    numbered: bool = False  # the recipe's `ids` numbers this field's empty cells
    confidence: float | None = None  # suggest's, for a match it proposed; None once edited
    reason: str = ""  # why suggest matched it


class Mapping(BaseModel):
    """The recipe as the mapping form shows it: every field of the standard, in order."""

    dataset: str
    dataset_title: str
    lgcode: str
    fields: list[FieldMapping]
    source_columns: list[str]  # the upload's header, in its order
    unused_columns: list[str]  # source columns no field takes


class MappingEdit(BaseModel):
    """One field's mapping replaced (the form's structured edit):
    `column` takes `sources` (joined by `join`), `constant` takes `constant`, `none` leaves
    the field empty. `normalize` replaces the field's normalisers; None keeps them."""

    model_config = ConfigDict(extra="forbid")

    field: str
    kind: Literal["column", "constant", "none"]
    sources: list[str] = Field(default_factory=list)
    join: str = ""
    constant: str | None = None
    normalize: list[Normaliser] | None = None


class NormaliserInfo(BaseModel):
    """A normaliser the form offers: its name, what it does and its option's JSON Schema."""

    name: str
    help: str
    option_schema: dict[str, Any] | None


class ReportSummary(BaseModel):
    """The validation of the upload's last preview conversion."""

    valid: bool
    errors: int
    warnings: int
    rows_in: int
    rows_out: int
    converted_at: datetime


class ProblemCell(BaseModel):
    """One cell to fix: where, what it holds, what is wrong, how to fix it."""

    row: int | None = None
    field: str | None = None
    value: str | None = None
    message_en: str = ""
    message_ja: str = ""
    fix: str | None = None


class ProblemGroup(BaseModel):
    """One kind of problem in one field, as the HTML report groups them, with its first cells."""

    code: str
    field: str | None
    severity: str  # error | warning
    title_en: str
    title_ja: str
    count: int
    cells: list[ProblemCell]


class Preview(BaseModel):
    """The first rows converted and the report, grouped by problem."""

    columns: list[str]
    rows: list[list[str]]
    summary: ReportSummary
    problems: list[ProblemGroup]


class Links(BaseModel):
    """Where the public finds a published upload."""

    name: str  # the catalogue's dataset name
    page: str  # /datasets/<name>
    api: str  # /api/v1/datasets/<name>
    csv: str | None  # the CSV download


class Upload(BaseModel):
    """One upload, as everyone but the database sees it."""

    id: str
    org: str
    state: UploadState
    file_name: str  # sanitised
    file_format: str  # what the content is: csv, xlsx, xls, ods
    size: int
    content_hash: str  # sha256 of the uploaded bytes
    created_by: str
    created_at: datetime
    updated_at: datetime
    dataset: str | None  # the standard dataset chosen (None while needs-choice)
    dataset_title: str | None
    confidence: float | None  # suggest's score for the dataset it proposed
    candidates: list[Candidate]
    doubts: list[Doubt] = Field(default_factory=list)
    reused_from: str | None  # the upload whose recipe this one reuses
    mapping: Mapping | None
    metadata: dict[str, Any] | None  # portal.catalogue.meta.DatasetMetadata.to_dict()
    report: ReportSummary | None  # None until a preview ran on the current recipe
    conversion_error: dict[str, Any] | None = None  # why converting the recipe failed
    submitted_by: str | None = None
    published_by: str | None = None
    needs_fix_reason: str | None = None  # 要修正: why it was published although invalid
    links: Links | None = None
