"""Event contracts v1 for the whole flow; one module per producing service."""
