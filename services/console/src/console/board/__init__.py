"""The coordinator's board: admissions awaiting consent, proposals to review, the waitlist,
mentors' caseloads, open tasks and today's sessions, for a branch or the whole network."""
