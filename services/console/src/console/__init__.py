"""Saathi console: server-rendered pages for every role, acting with the user's own token."""
