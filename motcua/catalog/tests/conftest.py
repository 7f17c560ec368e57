"""Catalogue fixtures (`catalogue`, `catalogue_loaded`) live in the root conftest."""
