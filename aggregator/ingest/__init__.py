"""Ingest: local files read from disk, turned into parsed articles in batches."""
