"""Give CKAN's Solr schema a text analyser that works on Japanese.

CKAN's `text` field type splits on whitespace, so a Japanese title (no spaces)
is one token and "避難場所" finds nothing in "指定緊急避難場所一覧". This swaps
that field type's analysers for one that folds widths (full-width ASCII,
half-width katakana) and indexes CJK text as overlapping two-character terms
(bigrams), keeping Latin words whole. Used by scripts/ckan-up.sh on the local
Solr and to generate docker/solr/schema.xml for compose.yaml.

    python3 scripts/solr_japanese.py IN_SCHEMA.xml OUT_SCHEMA.xml
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ANALYZER = """<fieldType name="text" class="solr.TextField" positionIncrementGap="100">
        <!-- Japanese-aware (portal, scripts/solr_japanese.py): width folding + CJK bigrams -->
        <analyzer type="index">
            <tokenizer class="solr.StandardTokenizerFactory"/>
            <filter class="solr.CJKWidthFilterFactory"/>
            <filter class="solr.LowerCaseFilterFactory"/>
            <filter class="solr.CJKBigramFilterFactory"/>
        </analyzer>
        <analyzer type="query">
            <tokenizer class="solr.StandardTokenizerFactory"/>
            <filter class="solr.CJKWidthFilterFactory"/>
            <filter class="solr.LowerCaseFilterFactory"/>
            <filter class="solr.CJKBigramFilterFactory"/>
        </analyzer>
    </fieldType>"""


def rewrite(schema: str) -> str:
    block = re.compile(r'<fieldType name="text" class="solr\.TextField".*?</fieldType>', re.S)
    if not block.search(schema):
        raise SystemExit('no <fieldType name="text"> in the schema: not CKAN\'s schema.xml?')
    return block.sub(lambda _: ANALYZER, schema, count=1)


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.write_text(rewrite(source.read_text(encoding="utf-8")), encoding="utf-8")
