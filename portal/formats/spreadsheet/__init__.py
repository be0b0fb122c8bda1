"""xlsx, xls and ods workbooks read with python-calamine; xlsx layout features from its XML."""

from portal.formats.spreadsheet.plugin import PLUGIN, SpreadsheetPlugin
from portal.formats.spreadsheet.reader import SpreadsheetTable

__all__ = ["PLUGIN", "SpreadsheetPlugin", "SpreadsheetTable"]
