"""A page's words in the page's language, from a room's YAML table (key → {ja, en})."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def word_table(package: str, file_name: str) -> dict[str, dict[str, str]]:
    text = resources.files(package).joinpath(file_name).read_text("utf-8")
    loaded: dict[str, dict[str, str]] = yaml.safe_load(text)
    return loaded


@dataclass(frozen=True)
class Words:
    """`words("key", n=3)`: the text of `key` in `lang`, its {placeholders} filled; the key
    itself when the table lacks it (a missing word shows, it does not break the page)."""

    lang: str
    package: str
    file_name: str

    def __call__(self, key: str, **params: Any) -> str:
        text = word_table(self.package, self.file_name).get(key, {}).get(self.lang, key)
        return text.format(**params) if params else text
