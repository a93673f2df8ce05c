"""Alumni: completing aftercare, and the path from alumnus to certified peer mentor
(nominated to matching's pool)."""
