"""Saathi aftercare service."""
