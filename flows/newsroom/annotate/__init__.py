"""Annotate: spaCy entities with canonical names, and quotations with their speakers."""
