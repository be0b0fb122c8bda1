"""Coverage of the standard datasets, for the DX office: per organization and standard, for the city and its region (issue 14)."""
