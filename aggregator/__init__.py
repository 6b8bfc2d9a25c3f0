"""aggregator: entertainment news aggregator and deduplicator.

Data flows one way: config -> fetch/import -> parse -> normalize -> match -> store,
and the query CLI and digests read from the store. See README.md.
"""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/aggregator-news/aggregator"
