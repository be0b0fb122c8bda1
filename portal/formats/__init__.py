"""Reading a department's table file (CSV, TSV, xlsx, xls, ods) into rows of strings.

Both the validator and the conversion pipeline start here:

    with open_table(path) as table:
        for row in table.rows():
            ...

Each format is a plugin folder (csv/, spreadsheet/) with the same files:
plugin.py (claims files by content), reader.py (the Table). The registry
asks them in turn; see portal.formats.registry.
"""

from portal.formats.base import Limits, SheetFeature, SourceInfo, Table
from portal.formats.registry import formats, open_table

__all__ = ["Limits", "SheetFeature", "SourceInfo", "Table", "formats", "open_table"]
