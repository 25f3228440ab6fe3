"""Evaluation commands: the product's own stages scored on labelled data written by others."""
