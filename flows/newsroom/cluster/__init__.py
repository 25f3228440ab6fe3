"""Cluster: copies and rewrites of one article, and stories (articles about one event)."""
