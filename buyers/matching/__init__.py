"""The matching engine: candidates from the database, scores, and reasons a person can read."""
