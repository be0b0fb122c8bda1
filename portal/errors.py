"""The portal's error catalogue: one root, one level of subclasses.

Every error has a stable `code` (kebab-case, safe to match on), an HTTP
`status`, a CLI `exit_code` and message templates in English and Japanese,
because clerks read the Japanese and civic-tech developers the English.
Where the problem sits in a file, `location` says exactly where.
Rendering lives in one place per front end: `portal.cli.render` and the
API's exception handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Location:
    """Where in a user's file a problem is; every part is optional."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None  # in a text file a person edits (a recipe), not a table row

    def describe_en(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def describe_ja(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"シート「{self.sheet}」")
        if self.line is not None:
            parts.append(f"{self.line}行目")
        if self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column:
            parts.append(f"{self.column}列")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class PortalError(Exception):
    """Root of every error the portal reports to a person."""

    code: ClassVar[str] = "portal-error"
    status: ClassVar[int] = 500
    exit_code: int = 1  # an instance may change it (e.g. `portal validate` uses 2)
    template_en: ClassVar[str] = "{detail}"
    template_ja: ClassVar[str] = "{detail}"
    hint_en: ClassVar[str] = ""
    hint_ja: ClassVar[str] = ""

    def __init__(self, location: Location | None = None, **params: Any) -> None:
        self.params = params
        self.location = location
        super().__init__(self.message_en)

    @property
    def message_en(self) -> str:
        text = self.template_en.format(**self.params)
        where = self.location.describe_en() if self.location else ""
        return f"{where}: {text}" if where else text

    @property
    def message_ja(self) -> str:
        text = self.template_ja.format(**self.params)
        where = self.location.describe_ja() if self.location else ""
        return f"{where}: {text}" if where else text

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "status": self.status,
            "message_en": self.message_en,
            "message_ja": self.message_ja,
        }
        if self.hint_en:
            body["hint_en"] = self.hint_en.format(**self.params)
            body["hint_ja"] = self.hint_ja.format(**self.params)
        if self.location:
            body["location"] = self.location.to_dict()
        return body


class DatasetNotFound(PortalError):
    code = "dataset-not-found"
    status = 404
    template_en = "there is no standard dataset '{key}'"
    template_ja = "標準データセット「{key}」はありません"
    hint_en = "run `portal datasets list` to see the dataset keys"
    hint_ja = "`portal datasets list` でデータセットの一覧を確認してください"


class DefinitionInvalid(PortalError):
    """A dataset folder (schema.json / dataset.yaml) cannot be used."""

    code = "definition-invalid"
    status = 500
    template_en = "the dataset definition is not valid: {detail}"
    template_ja = "データセット定義が正しくありません: {detail}"
    hint_en = "rebuild it with `portal datasets build` or fix the file by hand"
    hint_ja = "`portal datasets build` で作り直すか、ファイルを修正してください"


class ReferenceNotFound(PortalError):
    code = "reference-not-found"
    status = 500
    template_en = "reference material not found: {path}"
    template_ja = "参照資料が見つかりません: {path}"
    hint_en = "set PORTAL_REFERENCE_DIR or pass --reference"
    hint_ja = "PORTAL_REFERENCE_DIR を設定するか --reference で指定してください"


class WorkbookInvalid(PortalError):
    """The 定義書 workbook given to `import-spec` cannot be read as one."""

    code = "workbook-invalid"
    status = 422
    template_en = "{detail}"
    template_ja = "{detail_ja}"
    hint_en = "use the Digital Agency's 定義書 workbook (.xlsx) unchanged"
    hint_ja = "デジタル庁の定義書（.xlsx）を加工せずに指定してください"


class LocalGovCodeInvalid(PortalError):
    code = "lgcode-invalid"
    status = 422
    template_en = "'{value}' is not a valid local government code: {reason_en}"
    template_ja = "「{value}」は正しい全国地方公共団体コードではありません: {reason_ja}"
    hint_en = "a code is 6 half-width digits with a check digit, e.g. 272248 (摂津市)"
    hint_ja = "全国地方公共団体コードは検査数字付きの半角数字6桁です（例: 摂津市 272248）"


class LocalGovCodeNotFound(PortalError):
    code = "lgcode-not-found"
    status = 404
    template_en = "no local government has the code {value}"
    template_ja = "全国地方公共団体コード {value} の団体はありません"


class ConfigInvalid(PortalError):
    code = "config-invalid"
    status = 500
    template_en = "the configuration is not valid: {detail}"
    template_ja = "設定が正しくありません: {detail}"
    hint_en = "check the PORTAL_* / CKAN_* environment variables (see the README)"
    hint_ja = "PORTAL_* / CKAN_* の環境変数を確認してください（README 参照）"


class InputUnreadable(PortalError):
    """A file that cannot be read as a table at all (empty, binary, too big, a zip bomb…)."""

    code = "input-unreadable"
    status = 422
    exit_code = 2
    template_en = "{detail}"
    template_ja = "{detail_ja}"
    hint_en = "{hint}"
    hint_ja = "{hint_ja}"

    def __init__(
        self,
        location: Location | None = None,
        *,
        detail: str,
        detail_ja: str,
        hint: str = "save the table as CSV (UTF-8) or .xlsx and try again",
        hint_ja: str = "表を CSV（UTF-8）または .xlsx で保存し直してから、もう一度お試しください",
    ) -> None:
        super().__init__(location, detail=detail, detail_ja=detail_ja, hint=hint, hint_ja=hint_ja)


class OutputUnwritable(PortalError):
    """A file the user asked for (--out) cannot be written."""

    code = "output-unwritable"
    exit_code = 2  # not 1: for `portal validate` 1 means "the file is not valid"
    template_en = "cannot write {path}: {reason}"
    template_ja = "{path} に書き込めません: {reason}"
    hint_en = "choose a folder you can write to (--out)"
    hint_ja = "書き込みできるフォルダを --out で指定してください"
