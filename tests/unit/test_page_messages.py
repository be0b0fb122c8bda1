"""Every word of the pages has a Japanese and an English text, whole: a comma in an
unquoted YAML flow mapping cut `CSV (Shift_JIS, for Excel)` to `CSV (Shift_JIS`."""

from __future__ import annotations

from importlib import resources

import yaml


def test_every_page_word_has_exactly_a_japanese_and_an_english_text() -> None:
    folder = resources.files("portal.web")
    files = [
        f for f in folder.iterdir() if f.name.startswith("messages") and f.name.endswith(".yaml")
    ]
    assert files
    for file in files:
        for key, texts in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items():
            assert isinstance(texts, dict) and set(texts) == {"ja", "en"}, (file.name, key, texts)
            assert all(isinstance(t, str) and t for t in texts.values()), (file.name, key)
            for text in texts.values():
                assert text.count("(") == text.count(")"), (file.name, key, text)
                assert text.count("（") == text.count("）"), (file.name, key, text)
