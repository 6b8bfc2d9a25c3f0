"""Reading the store: the search syntax, snippets, and the digest selection.

Pure functions over data; the SQL they need lives in :mod:`aggregator.store.queries`.
"""
