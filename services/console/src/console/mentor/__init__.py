"""The peer mentor: their mentees, this week's sessions (logging one with its peer note),
flagging a crisis in one step, and the goals and questionnaires coming due."""
