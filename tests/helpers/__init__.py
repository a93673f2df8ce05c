"""Test helpers: backing services, app runners, waiting on conditions, payload factories."""
