"""Outcomes: figures per branch and period, as JSON or CSV."""
