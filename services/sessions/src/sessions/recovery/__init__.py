"""Recovery goals with their check-ins, and standard questionnaires with their scoring."""
