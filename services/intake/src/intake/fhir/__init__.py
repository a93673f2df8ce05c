"""FHIR R4 (via fhir.resources R4B, never its R5 default): Encounter and transaction Bundles."""
