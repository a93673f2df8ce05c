"""HL7 v2 over MLLP: decoding, mapping to intake commands, acknowledgements, the listener."""
