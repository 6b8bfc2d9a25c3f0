"""The project's exception tree.

Every error a user can cause derives from :class:`AggregatorError`; its message names
the file, source or URL involved and says what to do next. The CLI prints the message
on one line and exits 1; only the pipeline's per-item loops and the CLI catch broadly.
"""


class AggregatorError(Exception):
    """Root of every error the aggregator raises on purpose."""


class ConfigError(AggregatorError):
    """feeds.yaml (or a setting) is missing, malformed or has an invalid value."""


class StoreError(AggregatorError):
    """The database cannot be opened, is not SQLite, or is locked."""


class InputError(AggregatorError):
    """A local input file or record cannot be read or has no article in it."""


class ParseError(InputError):
    """Content was read but no article could be extracted from it."""


class FetchError(AggregatorError):
    """An HTTP fetch failed (network, status, size cap, robots.txt)."""


class QueryError(AggregatorError):
    """A query or filter given on the command line is not valid."""
