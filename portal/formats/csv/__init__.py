"""CSV and TSV uploads: encoding detection and streaming, bounded-memory reading."""

from portal.formats.csv.plugin import PLUGIN, CsvPlugin
from portal.formats.csv.reader import CsvTable, open_csv

__all__ = ["PLUGIN", "CsvPlugin", "CsvTable", "open_csv"]
