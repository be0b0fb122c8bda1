"""Uploads in the browser and the API: from a department file to a published dataset (issue 12)."""
