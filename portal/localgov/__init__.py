"""全国地方公共団体コード: codes, check digits and the list of local governments."""

from portal.localgov.codes import candidates, check_digit, is_valid, validate
from portal.localgov.directory import Directory, LocalGov, load

__all__ = ["Directory", "LocalGov", "candidates", "check_digit", "is_valid", "load", "validate"]
