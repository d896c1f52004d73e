"""Interview import: MAXQDA, QualCoder and REFI-QDA exports → the canonical segment and document
tables (`canonical`), through the de-identification gate (`prepare`)."""
