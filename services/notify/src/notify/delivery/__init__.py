"""Delivery: every notification on every channel as a row a worker sends, retries and reports."""
