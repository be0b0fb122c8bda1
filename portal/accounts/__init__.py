"""Accounts, roles, API tokens, sessions and the audit log (issue 12)."""
