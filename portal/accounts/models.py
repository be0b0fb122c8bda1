"""Tables of this room (issue 12): filled in with its migration."""

from __future__ import annotations
