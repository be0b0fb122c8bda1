"""Browse by category: 防災, 子育て, 医療・福祉, 観光・文化, 生活 (portal/search/categories.yaml).

A published dataset carries its standard's category (extras `category`, set by
portal/catalogue/mapping.py), so the category is searched as a word, filtered on as a field
(`extras_category`, the same on both catalogue back ends) and seen by a harvester.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from portal.errors import PortalError

BUNDLED = "categories.yaml"
CATEGORY = "category"  # the package extra
CATEGORY_FILTER = f"extras_{CATEGORY}"


@dataclass(frozen=True)
class Category:
    name: str  # Japanese, as residents and the extras say it: 防災
    en: str
    standards: tuple[str, ...]  # slugs


class UnknownCategory(PortalError):
    code = "unknown-category"
    status = 400
    exit_code = 2
    template_en = "category '{category}' is not one of {known}"
    template_ja = "カテゴリ「{category}」はありません（{known} のいずれかを指定してください）"
    hint_en = "leave category out to search every dataset"
    hint_ja = "すべてのデータセットを検索するには category を指定しないでください"


@cache
def categories() -> tuple[Category, ...]:
    """The categories, in the order the home page shows them."""
    text = resources.files("portal.search").joinpath(BUNDLED).read_text(encoding="utf-8")
    data = yaml.safe_load(text)["categories"]
    return tuple(
        Category(name, entry["en"], tuple(entry["standards"])) for name, entry in data.items()
    )


def category_of(standard: str) -> str | None:
    """The category a standard dataset (its slug) belongs to; None for none."""
    return next((c.name for c in categories() if standard in c.standards), None)


def category_named(name: str) -> Category:
    """The category called `name` (Japanese or English, any case); UnknownCategory otherwise."""
    for c in categories():
        if name.strip() in (c.name, c.en) or name.strip().casefold() == c.en.casefold():
            return c
    known = ", ".join(c.name for c in categories())
    raise UnknownCategory(category=name[:50], known=known)
