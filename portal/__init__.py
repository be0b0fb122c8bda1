"""Open-data publishing portal for Japanese municipalities.

The package is a library first: the CLI (`portal.cli`) and the web facade
(`portal.api`) are thin layers over the functions in the sub-packages.
"""

__version__ = "0.1.0"
