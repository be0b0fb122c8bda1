"""What a published dataset carries for search, as package extras: the standard's own title,
its category and the names of its rows. Both catalogue back ends index extras (the embedded one
in portal/search/index.py's document, CKAN's Solr by copying extras_* into `text`), so a search
finds the same datasets on either, and a harvester sees the same three extras."""

from __future__ import annotations

from pathlib import Path

from portal.search.categories import CATEGORY, category_of
from portal.search.row_names import ROW_NAMES, row_names

STANDARD_TITLE = "standard_title"
SEARCH_EXTRAS = (STANDARD_TITLE, CATEGORY, ROW_NAMES)  # indexed by portal/search/index.py


def search_extras(slug: str, standard_title: str, csv_path: Path) -> list[dict[str, str]]:
    """The extras, those with a value: a standard outside every category has no category."""
    texts = (
        (STANDARD_TITLE, standard_title),
        (CATEGORY, category_of(slug) or ""),
        (ROW_NAMES, row_names(csv_path)),
    )
    return [{"key": k, "value": v} for k, v in texts if v]
