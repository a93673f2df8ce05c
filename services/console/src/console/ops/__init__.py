"""The Ops screen: dead letters (listed without their contents), replayed or discarded with a
reason, and the record of who did what."""
