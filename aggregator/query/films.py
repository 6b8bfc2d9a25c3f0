"""What a ``--film`` value matches: the title keys of a work as outlets write it.

Works are indexed under their titles as written ("Squid Game season 3"); a person
filtering may write the installment another way ("Squid Game 3", "Season III",
"season three"), which the release matcher already reads as one release.
"""

from __future__ import annotations

from aggregator.match.features import release_of

_SEASON_WORDS = ("", "season", "part", "series", "chapter", "vol", "volume")
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")


def film_keys(key: str, film: str) -> list[str]:
    """The title keys a --film value matches: as typed, and for an installment
    ("Squid Game 3", "Squid Game Season III") every way works write that installment
    ("Squid Game season 3", "Squid Game 3", "Squid Game Part Three")."""
    keys = [key]
    words = film.split()
    if words and words[-1].lower() in _NUMBER_WORDS:  # "season three"
        words[-1] = str(_NUMBER_WORDS.index(words[-1].lower()) + 1)
    release = release_of(" ".join(words))
    number = release.installment if release is not None else None
    if release is None or number is None or not 1 <= number <= len(_ROMAN):
        return keys
    forms = (str(number), _ROMAN[number - 1], _NUMBER_WORDS[number - 1])
    for word in _SEASON_WORDS:
        for form in forms:
            variant = f"{release.base}{word}{form}"
            if variant not in keys:
                keys.append(variant)
    return keys
