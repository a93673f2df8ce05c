"""Duty rosters kept from the console: each branch's shifts (days, hours in the branch's zone)
and who is alerted, in order, on each; the network on-call's too."""
