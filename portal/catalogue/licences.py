"""The open licences by name and link (licences.yaml): what the dataset page shows
("CC BY 4.0" linked to its deed in the reader's language, not `cc-by`), what DCAT links, and
what the CKAN Action API answers (package_show's license_title/license_url, license_list)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from portal.settings import OPEN_LICENSES

# CKAN's license_list flags the portal's licences share (the per-licence ones are in the YAML).
CKAN_COMMON = {"family": "", "is_generic": "False", "od_conformance": "approved",
               "osd_conformance": "not reviewed", "maintainer": "", "status": "active"}  # fmt: skip


@dataclass(frozen=True)
class Licence:
    id: str  # cc-by | cc-by-sa | cc-zero
    name_ja: str
    name_en: str
    short: str  # CC BY 4.0
    url: str  # the licence's canonical URL
    deed_ja: str
    deed_en: str
    ckan: dict[str, str]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_ja

    def deed(self, lang: str) -> str:
        """The human-readable summary (deed) in the reader's language."""
        return self.deed_en if lang == "en" else self.deed_ja

    @property
    def ckan_title(self) -> str:
        return self.ckan["title"]

    @property
    def ckan_url(self) -> str:
        return self.ckan["url"]

    def ckan_entry(self) -> dict[str, Any]:
        """The licence as CKAN's license_list answers it."""
        return {"id": self.id, **CKAN_COMMON, **self.ckan}


@cache
def licences() -> dict[str, Licence]:
    """Every licence the portal publishes under, by its CKAN id."""
    text = resources.files("portal.catalogue").joinpath("licences.yaml").read_text("utf-8")
    return {key: Licence(id=key, **value) for key, value in yaml.safe_load(text).items()}


def licence(license_id: str | None) -> Licence | None:
    """The licence a package's license_id names (any spelling settings accept: cc-by-4.0,
    CC0…); None for one the portal does not know (a package someone else published)."""
    key = OPEN_LICENSES.get((license_id or "").strip().lower())
    return licences().get(key) if key else None
