"""Survey import: Nettskjema wide/long and generic exports → validated, cleaned, de-identified
canonical tables and the participant-flow table (`prepare`)."""
