"""Saathi notify: events that ask a person to act become notifications to named people,
delivered on their channels and tracked to acknowledgement."""
