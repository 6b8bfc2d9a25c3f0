"""Normalization: canonical URLs, comparable text, folded keys for titles and names."""
