"""Catalogue search."""
