"""Saathi notify service: every alert that asks a person to act reaches that person."""
