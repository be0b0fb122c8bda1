"""What a department says about its dataset (issue 12): title, description, 担当課, contact,
update frequency, keywords and licence. Given in a recipe's `metadata:` block, the upload form
or the API; written into datapackage.json by convert and into the catalogue by publish (CKAN's
own fields where CKAN has one, extras named as ckanext-dcat reads them otherwise), DCAT, the
API and the dataset page."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from portal.catalogue.licences import spellings
from portal.catalogue.meta import string_extras
from portal.errors import Location, PortalError
from portal.normalize.phone import normalize_phone

# The catalogue's extras for what CKAN has no field for (ckanext-dcat's names).
CONTACT_PHONE = "contact_phone"
CONTACT_URL = "contact_url"
FREQUENCY = "frequency"  # the EU frequency URI, as ckanext-dcat writes dct:accrualPeriodicity

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_LINE = 200  # 担当課, phone, email, URL
MAX_KEYWORDS = 20
MAX_KEYWORD = 50
# The HTML standard's "valid e-mail address" (what <input type=email> accepts): the rule
# the upload form already applies in the browser, so the two never disagree.
EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
# CKAN's rule for a tag (ckan.logic.validators.tag_name_validator): letters of any script,
# digits, space, -, _ and . — and 2 to 100 characters. A keyword becomes a tag.
KEYWORD = re.compile(r"[\w \-.]{2,}")
KEYWORD_SPLIT = re.compile(r"[,、，]")


@dataclass(frozen=True)
class Frequency:
    code: str
    ja: str
    en: str
    uri: str


@cache
def _frequencies() -> dict[str, Frequency]:
    text = resources.files("portal.catalogue").joinpath("frequencies.yaml").read_text("utf-8")
    return {code: Frequency(code, **entry) for code, entry in yaml.safe_load(text).items()}


def frequencies() -> dict[str, Frequency]:
    """The update frequencies a dataset may have (frequencies.yaml), by code."""
    return _frequencies()


def frequency_of(text: str) -> Frequency | None:
    """A frequency by its code, its Japanese label or its URI; None when it is none of them."""
    for frequency in frequencies().values():
        if text in (frequency.code, frequency.ja, frequency.uri):
            return frequency
    return None


# Each field as a person reads it, for the messages.
FIELD_LABELS = {
    "title": ("title", "タイトル"),
    "description": ("description", "説明"),
    "department": ("department", "担当課"),
    "contact_phone": ("contact phone", "問い合わせ電話番号"),
    "contact_email": ("contact email", "問い合わせメールアドレス"),
    "contact_url": ("contact form URL", "問い合わせフォームURL"),
    "update_frequency": ("update frequency", "更新頻度"),
    "keywords": ("keywords", "キーワード"),
    "license": ("licence", "ライセンス"),
}
# Each kind of problem, in both languages ({…} from the error's context).
PROBLEMS = {
    "email": ("'{value}' is not an email address", "「{value}」はメールアドレスではありません"),
    "url": ("'{value}' is not an http(s) URL", "「{value}」は http(s) の URL ではありません"),
    "phone": ("'{value}' is not a Japanese phone number", "「{value}」は日本の電話番号ではありません"),
    "frequency": ("'{value}' is not an update frequency; use one of {choices}",
                  "「{value}」は更新頻度ではありません。{choices_ja} のいずれかにしてください"),
    "license": ("'{value}' is not an open licence; use cc-by, cc-by-sa or cc-zero",
                "「{value}」はオープンライセンスではありません。cc-by、cc-by-sa、cc-zero のいずれかにしてください"),
    "keyword": ("'{value}' cannot be a keyword: 2 or more letters, digits, spaces, - _ . only",
                "「{value}」はキーワードにできません（2文字以上の文字・数字・空白・- _ . のみ）"),
    "string_too_long": ("longer than {max_length} characters", "{max_length}文字を超えています"),
    "too_long": ("more than {max_length} keywords", "キーワードが{max_length}個を超えています"),
    "extra_forbidden": ("unknown field; the fields are " + ", ".join(FIELD_LABELS),
                        "不明な項目です。項目は " + "、".join(FIELD_LABELS) + " です"),
}  # fmt: skip
FALLBACK_PROBLEM = ("not a valid value: {msg}", "値が正しくありません: {msg}")


class MetadataInvalid(PortalError):
    code = "metadata-invalid"
    status = 422
    exit_code = 2
    template_en = "the dataset's metadata is not valid: {detail}"
    template_ja = "データセットの説明情報が正しくありません: {detail_ja}"
    hint_en = "correct the fields named; every field may be left out"
    hint_ja = "挙げた項目を直してください（どの項目も省略できます）"

    def __init__(
        self, location: Location | None = None, *, fields: Sequence[str] = (), **params: Any
    ) -> None:
        self.fields = list(fields)  # the fields that are wrong, in the model's order
        super().__init__(location, **params)


def _problem(kind: str, value: object, **context: object) -> PydanticCustomError:
    return PydanticCustomError(kind, kind, {"value": value, **context})


class DatasetMetadata(BaseModel):
    """What a department says about its dataset; every field optional (None or () when
    not given, and then the catalogue shows what it showed before)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, max_length=MAX_TITLE)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)
    department: str | None = Field(default=None, max_length=MAX_LINE)  # 担当課
    contact_phone: str | None = Field(default=None, max_length=MAX_LINE)
    contact_email: str | None = Field(default=None, max_length=MAX_LINE)
    contact_url: str | None = Field(default=None, max_length=MAX_LINE)
    update_frequency: str | None = None  # a code of frequencies.yaml
    keywords: tuple[str, ...] = Field(default=(), max_length=MAX_KEYWORDS)
    license: str | None = None  # cc-by | cc-by-sa | cc-zero

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any) -> Any:
        """A form sends "" for a field left empty: that is no value, not a wrong one."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.fullmatch(value):
            raise _problem("email", value)
        return value

    @field_validator("contact_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
            raise _problem("url", value)
        return value

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        canonical = normalize_phone(value)
        if canonical is None:
            raise _problem("phone", value)
        return canonical

    @field_validator("update_frequency")
    @classmethod
    def _frequency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        found = frequency_of(value)
        if found is None:
            raise _problem("frequency", value, choices=", ".join(frequencies()),
                           choices_ja="、".join(f.ja for f in frequencies().values()))  # fmt: skip
        return found.code

    @field_validator("license")
    @classmethod
    def _license(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.lower() not in spellings():
            raise _problem("license", value)
        return spellings()[value.lower()]

    @field_validator("keywords", mode="before")
    @classmethod
    def _keywords(cls, value: Any) -> Any:
        """A list, or one text separated by commas (、 too) as a form sends it; blanks and
        repeats dropped, each checked against CKAN's rule for tags."""
        if value is None:
            return ()
        items = KEYWORD_SPLIT.split(value) if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            return value  # pydantic says what is wrong with it
        kept: list[Any] = []
        for item in items:
            item = item.strip() if isinstance(item, str) else item
            if (
                isinstance(item, str)
                and item
                and not (KEYWORD.fullmatch(item) and len(item) <= MAX_KEYWORD)
            ):
                raise _problem("keyword", item)
            if item != "" and item not in kept:
                kept.append(item)
        return tuple(kept)

    @classmethod
    def parse(cls, data: Any, location: Location | None = None) -> DatasetMetadata:
        """The metadata, or MetadataInvalid naming every field that is wrong and why, in
        English and Japanese."""
        if data is None:
            return cls()
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            en, ja, fields = [], [], []
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else ""
                fields.append(field)
                label_en, label_ja = FIELD_LABELS.get(field, (field, field))
                found_en, found_ja = PROBLEMS.get(error["type"], FALLBACK_PROBLEM)
                context = {"msg": error["msg"], "value": error.get("input"), **error.get("ctx", {})}
                en.append(f"{label_en}: {found_en.format(**context)}")
                ja.append(f"{label_ja}: {found_ja.format(**context)}")
            raise MetadataInvalid(
                location, fields=fields, detail="; ".join(en), detail_ja=" / ".join(ja)
            ) from None

    @property
    def empty(self) -> bool:
        return self == DatasetMetadata()

    @property
    def frequency(self) -> Frequency | None:
        return frequencies().get(self.update_frequency or "")

    def to_dict(self) -> dict[str, Any]:
        """The fields that are set, as datapackage.json and the API hold them."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def to_extras(self) -> list[dict[str, str]]:
        """The catalogue extras for what CKAN has no field of its own for."""
        texts = (
            (CONTACT_PHONE, self.contact_phone),
            (CONTACT_URL, self.contact_url),
            (FREQUENCY, self.frequency.uri if self.frequency else None),
        )
        return [{"key": key, "value": value} for key, value in texts if value is not None]

    @classmethod
    def from_package(
        cls, package: Mapping[str, Any], not_keywords: Collection[str] = ()
    ) -> DatasetMetadata:
        """The metadata a catalogue package shows (title, notes, maintainer, tags other than
        `not_keywords`, the extras; CKAN keeps no tag order). Never raises: a value the portal would
        refuse is left out."""
        extras = string_extras(package)
        listed = package.get("tags")
        tags: list[Any] = listed if isinstance(listed, list) else []
        found = {
            "title": package.get("title"),
            "description": package.get("notes"),
            "department": package.get("maintainer"),
            "contact_email": package.get("maintainer_email"),
            "contact_phone": extras.get(CONTACT_PHONE),
            "contact_url": extras.get(CONTACT_URL),
            "update_frequency": extras.get(FREQUENCY),
            "keywords": [
                t.get("name")
                for t in tags
                if isinstance(t, Mapping) and t.get("name") not in not_keywords
            ],  # fmt: skip
            "license": package.get("license_id"),
        }
        try:
            return cls.model_validate(found)
        except ValidationError as exc:
            wrong = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            return cls.model_validate({k: v for k, v in found.items() if k not in wrong})
