"""Validation of a file against the standard: frictionless's checks plus the standard's rules."""

from portal.validation.report import Report
from portal.validation.validate import Options, StreamValidator, validate

__all__ = ["Options", "Report", "StreamValidator", "validate"]
