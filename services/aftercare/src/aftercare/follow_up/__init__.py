"""Follow-up: the 7- and 30-day follow-ups, first attendance and outreach, and the tasks that
keep patients from falling through the cracks."""
