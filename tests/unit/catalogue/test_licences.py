"""The licences by name and link: every licence settings accept has a name in both
languages, a deed in each language and CKAN's own title and URL."""

from __future__ import annotations

import pytest

from portal.catalogue.licences import licence, spellings


@pytest.mark.parametrize("spelling", sorted(spellings()))
def test_every_accepted_spelling_names_a_licence_with_deeds(spelling: str) -> None:
    found = licence(spelling)
    assert found is not None
    assert found.id == spellings()[spelling]
    assert found.deed("ja").endswith("/deed.ja") and found.deed("en").endswith("/deed.en")
    assert found.name("ja") != found.name("en")
    assert found.ckan_entry()["id"] == found.id and found.ckan.title.startswith("Creative Commons")


def test_cc_by_is_named_cc_by_4_0_and_links_its_deed() -> None:
    found = licence("cc-by")
    assert found is not None
    assert "CC BY 4.0" in found.name("ja") and "CC BY 4.0" in found.name("en")
    assert found.deed("ja") == "https://creativecommons.org/licenses/by/4.0/deed.ja"
    assert found.deed("en") == "https://creativecommons.org/licenses/by/4.0/deed.en"


def test_an_unknown_licence_is_none() -> None:
    assert licence("proprietary") is None
    assert licence(None) is None
