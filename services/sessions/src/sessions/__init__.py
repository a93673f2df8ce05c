"""Saathi sessions service."""
