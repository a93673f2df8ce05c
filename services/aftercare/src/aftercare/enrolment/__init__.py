"""Enrolment: outpatients placed in a fitting group on their own at discharge, waitlisted,
moved when a group closes or a mentor goes on, cancelled when the discharge is undone, and
readmissions linked to the stay before."""
