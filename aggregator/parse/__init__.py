"""Parsing: bytes or records in, :class:`~aggregator.models.Article` out. No I/O here."""

from aggregator.parse.entry import parse_entry_fields
from aggregator.parse.html import parse_html
from aggregator.parse.record import parse_record
from aggregator.parse.text import parse_text

__all__ = ["parse_entry_fields", "parse_html", "parse_record", "parse_text"]
