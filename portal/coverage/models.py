"""Tables of coverage (issue 14): exemptions and snapshots, filled in with migration 0005."""

from __future__ import annotations
