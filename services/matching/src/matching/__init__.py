"""Saathi matching service."""
