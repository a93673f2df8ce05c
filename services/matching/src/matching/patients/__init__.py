"""What matching keeps about patients: intake's episodes and consent, preferences, risk
assessments, conflicts of interest and merges."""
