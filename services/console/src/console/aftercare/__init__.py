"""Aftercare and outcomes: the funnel from discharge to the 30-day follow-up, readmissions, per
branch and month, as charts read at a glance with the CSV behind each."""
