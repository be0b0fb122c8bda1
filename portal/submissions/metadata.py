"""The dataset metadata a department fills in before submitting: title, description, 担当課,
contact, update frequency, keywords, licence.

Stand-in until portal.catalogue.meta defines `DatasetMetadata` (the metadata/versions room),
which publishing carries to CKAN, DCAT and the API; uploads then keep that model's JSON."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

# Open licences only: what a municipality's open data may be published under.
OpenLicence = Literal["cc-by", "cc-by-sa", "cc-zero"]
# dct:accrualPeriodicity in words a clerk picks from.
Frequency = Literal[
    "irregular", "daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "never"
]
TEXT_MAX = 200
DESCRIPTION_MAX = 5000
KEYWORDS_MAX = 20


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+()\- ]+$")
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    form_url: HttpUrl | None = None


class UploadMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=TEXT_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    department: str = Field(min_length=1, max_length=TEXT_MAX)  # 担当課
    contact: Contact = Field(default_factory=Contact)
    update_frequency: Frequency = "irregular"
    keywords: list[str] = Field(default_factory=list, max_length=KEYWORDS_MAX)
    licence: OpenLicence = "cc-by"
