"""Built-in checks; importing this package registers them (like frictionless plugins)."""

from portal.validation.checks import address, cells, rows
from portal.validation.checks.base import (
    CELL_CHECKS,
    CellCheck,
    CellContext,
    Issue,
    RowCheck,
    RowContext,
)

ROW_CHECKS = RowCheck.ROW_CHECKS

__all__ = [
    "CELL_CHECKS",
    "ROW_CHECKS",
    "CellCheck",
    "CellContext",
    "Issue",
    "RowCheck",
    "RowContext",
    "address",
    "cells",
    "rows",
]
