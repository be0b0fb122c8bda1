"""Versions of published datasets: history, change summaries, rollback (issue 12)."""

from __future__ import annotations
