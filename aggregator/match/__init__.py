"""Matching: is this article a copy of a stored one, and which story does it join?

Pure functions: given an article and candidate stories, return a Decision with the
signals that led to it. The store finds the candidates; the pipeline applies the
decision.
"""

from aggregator.match.matcher import article_keys, decide

__all__ = ["article_keys", "decide"]
