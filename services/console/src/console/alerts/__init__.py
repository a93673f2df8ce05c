"""Alerts as coordinators follow them: every notification in their reach with its state
(queued → sent → delivered or failed → acknowledged), so an alert that reached nobody is seen."""
