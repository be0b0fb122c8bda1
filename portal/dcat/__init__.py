"""The catalogue as DCAT-AP 3.0.1 (Turtle and JSON-LD at /catalog.ttl, /catalog.jsonld)."""
