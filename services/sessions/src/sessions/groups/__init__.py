"""Peer-led groups (inpatient, outpatient, alumni): meetings, places, attendance, audiences."""
