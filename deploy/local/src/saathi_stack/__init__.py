"""Saathi local stack: run the whole platform on one machine with no system installs."""
