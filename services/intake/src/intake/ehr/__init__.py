"""EHR feed over REST: admissions (one or a batch), discharges, cancellations, transfers;
and the episode rules and writes every channel (REST, HL7 v2, FHIR) shares."""
