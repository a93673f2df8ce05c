"""Saathi intake service."""
