"""Enrolment use cases: reconcile with intake's stays, place in a group, follow a continuing
mentor, react to group changes, record wishes and link readmissions."""
