"""Matching: is this article a copy of a stored one, and which story does it join?

Pure functions: given an article and candidate stories, return a Decision with the
signals that led to it. The store finds the candidates; the pipeline applies the
decision. ``duplicates`` finds near-identical copies (MinHash LSH), ``features``
turns an article into folded keys, ``matcher`` weighs them against candidate stories.
"""

from aggregator.match.features import ArticleFeatures, extract_features
from aggregator.match.matcher import decide
from aggregator.match.settings import MatchSettings

DEFAULT_SETTINGS = MatchSettings()


__all__ = [
    "DEFAULT_SETTINGS",
    "ArticleFeatures",
    "MatchSettings",
    "decide",
    "extract_features",
]
