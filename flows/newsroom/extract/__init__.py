"""Extract: raw input files -> cleaned article bodies with metadata (pure functions, no Prefect)."""
