"""What an article says about its release, as comparable keys.

The parser gives works (title, kind, year) and people (name, role); the matcher adds
cheap signals of its own read from the text: capitalized names (people, places,
festivals, titles nobody quoted), years, platforms. Everything becomes a folded key
so that spelling variants meet in the store's indexes. Pure functions, no I/O.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from aggregator.match.settings import MatchSettings
from aggregator.models import Article, Work
from aggregator.normalize.names import (
    japanese_title,
    korean_names_in,
    korean_title,
    name_key,
    romanized_title,
    title_key,
)
from aggregator.normalize.text import fold_text
from aggregator.parse.cues import word_list
from aggregator.parse.dateline import MONTH_NAMES, WEEKDAY_NAMES, opening_date

# An installment at the end of a title: "Squid Game 2", "Squid Game season 2",
# "Squid Game: Part II", "Stranger Things S4". Numbers above this are part of the
# title ("Blade Runner 2049"), not an installment.
_INSTALLMENT = re.compile(
    r"^(?P<base>.+?)\s+(?:(?:season|series|part|chapter|vol|volume|s)\s*)?(?P<n>\d{1,2}|ii|iii|iv|v|vi)$"
)
_ROMAN = {"ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
_MAX_INSTALLMENT = 20

# Capitalized words and runs of them. Connectors may sit inside a name run
# ("Ana de Armas", "Betty Ford Center") but never start or end one.
_CAP_WORD = r"(?:[A-Z][\w’'\-]*[\w]|[A-Z])"
_CONNECTOR = r"(?:de|da|del|der|van|von|la|le|di|du|of|the)"
_NAME_RUN = re.compile(rf"{_CAP_WORD}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)*{_CAP_WORD})*")
_SENTENCE_END = re.compile(r"(?:[.!?:;\"“”»]|``|'')\s*$")
_POSSESSIVE = re.compile(r"[’']s$")
# A headline's run of capitalized words may go on past a colon, as a title's
# subtitle does: "Squid Game: The Challenge Season 2 Crowns Its Winner".
_HEADLINE_RUN = re.compile(rf"{_CAP_WORD}(?::?[ \t]+(?:{_CONNECTOR}[ \t]+)*{_CAP_WORD})*")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalized words that say nothing about a release: sentence starters, calendar
# words, titles of address. Compared after folding.
_STOP_WORDS = _word_set(
    """a an the and or but if in on at of for to from by with as is are was were be been
    it its he she they we you i his her their our my your this that these those there here
    what when where who whom why how which while after before since during until about
    also not no yes so than then now new more most all some any each every other such
    mr mrs ms dr sir st jr sr mt
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    today yesterday tomorrow tonight
    however meanwhile according though although despite instead still even just
    read more related share photo photos video watch click subscribe advertisement
    getty images ap reuters afp"""
)

# Words every news story uses, whatever it is about.
_TERM_STOP_WORDS = _word_set(
    """about above after again against also although among another anyone anything around
    because been before behind being below between both came cannot come comes could
    does doing done down during each either else even ever every first from further
    gave give given goes going gone have having here hers herself himself however into
    itself just know known last least less like made make makes many might more most
    much must near need never next none nothing often once only onto other others
    ought ours over part past perhaps quite rather really said same says seem seemed
    several shall should show shown since some something soon still such take taken
    than that their them themselves then there these they thing things this those
    though three through thus time times today together told took toward towards
    under until upon very want wanted well went were what whatever when where whether
    which while whom whose will with within without would year years yesterday your
    yours week weeks month months according reported report reports including
    news story stories people person percent added asked called calls called made
    back away later earlier early recent recently another other among across also
    just only this that with from have been were said will would could should"""
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
# A date written near the top (a dateline) is read this far into the text.
_DATELINE_CHARS = 300
# A year in parentheses right after a title (a closing quote may come between):
# "Dune (2021)", "'Ballerina' (2023)".
_TITLE_YEAR = re.compile(r"[”\"’']?[ \t]*\((19[5-9]\d|20[0-4]\d)\)")

PLATFORMS: dict[str, str] = {
    "netflix": "netflix",
    "disney": "disney",
    "hulu": "hulu",
    "hbo": "hbo",
    "max": "hbo",
    "apple tv": "appletv",
    "prime video": "prime",
    "amazon prime": "prime",
    "paramount": "paramount",
    "peacock": "peacock",
    "tving": "tving",
    "wavve": "wavve",
    "coupang play": "coupang",
    "tvn": "tvn",
    "jtbc": "jtbc",
    "kbs": "kbs",
    "mbc": "mbc",
    "sbs": "sbs",
    "ena": "ena",
    "crunchyroll": "crunchyroll",
}
_PLATFORM = re.compile(r"\b(" + "|".join(re.escape(p) for p in PLATFORMS) + r")\b")


@dataclass(frozen=True)
class Release:
    """The primary work, as keys: 'squidgame#2' for "Squid Game season 2"."""

    key: str
    base: str
    installment: int | None
    title: str
    year: int | None = None


@dataclass(frozen=True)
class ArticleFeatures:
    """Keys an article contributes to the indexes, by kind, plus its release."""

    release: Release | None
    work_keys: frozenset[str] = frozenset()  # every work named, for the title index
    aliases: frozenset[str] = frozenset()  # other release keys of the primary work
    # Release keys of the other works it names (a sequel's original, a franchise).
    named_works: frozenset[str] = frozenset()
    person_keys: frozenset[str] = frozenset()
    name_keys: frozenset[str] = frozenset()
    word_keys: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()  # the article's own: release, published, dateline
    # An undated text's years as it writes them: weaker, see matcher._years_apart.
    mentioned_years: frozenset[int] = frozenset()
    platforms: frozenset[str] = frozenset()
    ordinals: frozenset[str] = frozenset()  # 'noun#N' numbered in the lead (see ordinals)
    display_people: dict[str, str] = field(default_factory=dict)
    # Frequent content words (headline words count extra), before weighting: the
    # pipeline turns them into a TF-IDF vector once it knows how rare each is.
    term_counts: dict[str, int] = field(default_factory=dict)
    term_vector: dict[str, float] = field(default_factory=dict)
    # How central each (kind, key) is to this article, 0..1: in the headline or
    # repeated is central; named once in passing is not.
    salience: dict[tuple[str, str], float] = field(default_factory=dict)
    # An untitled article's headline phrases that could be a title written without
    # quotes ("Inside Out 2 is 2024's biggest film"), as base keys: looked up among
    # the stories' titles, never stored (see headline_titles).
    headline_titles: frozenset[str] = frozenset()

    def story_keys(self) -> dict[str, set[str]]:
        """Keys by kind that a story collects from its articles."""
        keys: dict[str, set[str]] = {
            "person": set(self.person_keys),
            "name": set(self.name_keys),
            "word": set(self.word_keys),
            "year": {str(y) for y in self.years},
            "myear": {str(y) for y in self.mentioned_years},
            "platform": set(self.platforms),
            "ordinal": set(self.ordinals),
        }
        if self.release is not None:
            keys["work"] = {self.release.key, *self.aliases}
            keys["base"] = {self.release.base}
        keys["named"] = set(self.named_works)
        return keys

    @property
    def has_evidence(self) -> bool:
        return bool(self.release or self.person_keys or self.name_keys or self.word_keys)


@lru_cache(maxsize=16384)
def release_of(title: str, year: int | None = None) -> Release | None:
    """The release key of a work title; None when the title has no letters or digits."""
    folded = fold_text(title)
    folded = re.sub(r"^(the|a|an)\s+", "", folded)
    if not folded:
        return None
    installment: int | None = None
    match = _INSTALLMENT.match(folded)
    if match:
        raw = match.group("n")
        number = _ROMAN.get(raw) or (int(raw) if raw.isdigit() else None)
        if number is not None and 1 <= number <= _MAX_INSTALLMENT:
            installment = number
            folded = match.group("base")
    base = folded.replace(" ", "")
    if not base:
        return None
    key = f"{base}#{installment}" if installment and installment > 1 else base
    return Release(key=key, base=base, installment=installment, title=title, year=year)


# An occupation written before a name, capitalized where a sentence or a Title Case
# headline starts ("Actor Kang Tae-rim was caught ...", "Singer Yoo Da-bin's agency").
_ROLE_WORDS = _word_set(
    """actor actress singer director producer rapper comedian writer author chef
    presenter composer dancer musician filmmaker screenwriter showrunner creator
    songwriter vocalist guitarist drummer pitcher footballer"""
)


def _count_run(
    parts: list[str],
    sentence_start: bool,
    names: Counter[str],
    words: Counter[str],
    headline: bool = False,
) -> None:
    while parts and (parts[0].lower() in _STOP_WORDS or parts[0].lower() in _ROLE_WORDS):
        parts = parts[1:]
        sentence_start = False
    while parts and parts[-1].lower() in _STOP_WORDS:
        parts = parts[:-1]
    if not parts:
        return
    if len(parts) >= 2:
        # A Title Case headline's run with Korean names in it is those names, not
        # one long name ("Lee Jung Jae Returns To The Games ...").
        spans = korean_names_in(parts) if len(parts) > 3 else []
        keys = [name_key(" ".join(parts[start:end])) for start, end in spans]
        for key in keys or [name_key(" ".join(parts))]:
            if len(key) >= 4:
                names[key] += 1
        for part in parts:
            if len(part) > 2 and not _common(part, headline):
                words[name_key(part)] += 1
    elif not sentence_start and len(parts[0]) > 2 and not _common(parts[0], headline):
        words[name_key(parts[0])] += 1


def _common(word: str, headline: bool) -> bool:
    """A stop word, or in a headline also a common word ("First", "Time", "Week").

    A Title Case headline capitalizes every word: as name words, "First" and "Week"
    (folded like a Korean syllable to "wig") joined an album's sales report to a
    film's box-office story. In running text a capital still says "name" (Will,
    Rather), so there only stop words are dropped.
    """
    lower = word.lower()
    return lower in _STOP_WORDS or (headline and lower in _TERM_STOP_WORDS)


def _name_runs(text: str, headline_end: int = 0) -> tuple[Counter[str], Counter[str]]:
    """Capitalized multi-word names and single capitalized words, with counts.

    A single word at the start of a sentence is skipped: it is capitalized because
    of where it stands, not because it is a name. Runs that start before
    ``headline_end`` are the headline's (see :func:`_common`).
    """
    names: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for match in _NAME_RUN.finditer(text):
        headline = match.start() < headline_end
        sentence_start = (
            match.start() == 0
            or bool(_SENTENCE_END.search(text[max(0, match.start() - 3) : match.start()]))
            or text[max(0, match.start() - 1) : match.start()] == "\n"
        )
        run: list[str] = []
        for part in match.group().split():
            possessive = bool(_POSSESSIVE.search(part))
            run.append(_POSSESSIVE.sub("", part))
            if possessive:  # "Bong Joon-ho's Parasite": the name ends at the 's
                _count_run(run, sentence_start, names, words, headline)
                run, sentence_start = [], False
        _count_run(run, sentence_start, names, words, headline)
    return names, words


def _terms(
    text: str, folded: str | None = None, details: Counter[str] | None = None
) -> Counter[str]:
    """Content words with counts, folded; a plural 's' is dropped so forms meet.

    ``details``, when given, also counts the words that are event details (see
    ``_DETAIL_WORDS``): one lookup per word in a loop that runs anyway.
    """
    counts: Counter[str] = Counter()
    # Each distinct word is looked at once (counted in C first): news repeats words.
    for word, times in Counter((folded if folded is not None else fold_text(text)).split()).items():
        if details is not None:
            detail = _DETAIL_WORDS.get(word)
            if detail is not None:
                details[detail] += times
        if len(word) < 3 or word in _TERM_STOP_WORDS or word in _STOP_WORDS or word.isdigit():
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        counts[word] += times
    return counts


# Names in an article's term vector carry this prefix, which no folded word has.
ENTITY_PREFIX = "@"
# So do event details: numbers and ordinals as written ("4.4", "81st", "33").
DETAIL_PREFIX = "#"

_ORDINAL_WORDS = word_list(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
)
_ORDINAL_VALUE = {word: number for number, word in enumerate(_ORDINAL_WORDS, 1)}
# Folded words that are details: ordinals in words meet their digits ("eleventh" is
# "#11th"), and the month and weekday names say when it happened. "may" is left
# out: as a verb it is far more common than as the month.
_DETAIL_WORDS: dict[str, str] = {
    **{word: f"{DETAIL_PREFIX}{number}th" for word, number in _ORDINAL_VALUE.items()},
    **{day: DETAIL_PREFIX + day[:3] for day in (*MONTH_NAMES, *WEEKDAY_NAMES) if day != "may"},
}
# A number as written (with its decimals: "4.4", "1,200"), or an ordinal in digits
# ("81st"). A number glued to letters on its left ("A380", "G7") is part of a name,
# not a detail. The pattern starts with the digit (the look-behind comes after it)
# so that the regex engine skips quickly to the next digit.
_FIGURE = re.compile(
    r"(?P<n>\d(?<![\w.,]\d)\d{0,3}(?:[.,]\d{1,3})?)(?P<ord>st|nd|rd|th)?(?![\w]|[.,]\d)"
)

# An ordinal and the noun it numbers, in the headline and lead: "the 81st Academy
# Awards", "the eleventh Doctor", "stopped in the sixth round". Counts of times
# ("the second time", "a third straight") number no event. Written without
# IGNORECASE, as literal alternatives, which the regex engine scans for fast.
_ORDINAL_NOUN = re.compile(
    r"(?:(?P<n>\d(?<![\w.,]\d)\d{0,2})(?:st|nd|rd|th)|\b(?P<word>"
    + "|".join([*_ORDINAL_WORDS, *(word.capitalize() for word in _ORDINAL_WORDS)])
    + r"))[ \t-]+(?:[Aa]nnual[ \t]+)?(?P<noun>[A-Za-z]{3,})"
)
_NOT_EDITIONS = _word_set("time times straight consecutive successive and the for was")


def ordinals(lead: str, min_number: int = 1) -> frozenset[str]:
    """'noun#N' keys for the ordinals the headline and lead give: {'doctor#11'}.

    Look-alike events are often numbered editions of one thing: the 81st and the
    86th Academy Awards, the 11th and 12th actor to play the Doctor. A lead that
    numbers the event names which one it is; two that number the same noun
    differently are about different ones (see matcher._ordinal_conflict).
    """
    found: set[str] = set()
    for match in _ORDINAL_NOUN.finditer(lead):
        noun = match.group("noun").lower()
        if noun in _NOT_EDITIONS:
            continue
        if len(noun) > 4 and noun.endswith("s") and not noun.endswith("ss"):
            noun = noun[:-1]
        word = match.group("word")
        number = _ORDINAL_VALUE[word.lower()] if word else int(match.group("n"))
        if number >= min_number:
            found.add(f"{noun}#{number}")
    return frozenset(found)


def figures(text: str) -> Counter[str]:
    """Numbers and ordinals in digits the text states, as ``DETAIL_PREFIX`` keys.

    Two reports of look-alike events read alike (two quakes, two Oscars hosts
    announced); the figures are what differ: a magnitude 4.4 quake is not the 6.1,
    the 81st ceremony is not the 86th, the 33-year-old is not the 26-year-old.
    Ordinals and calendar words written as words are counted by ``_terms``, which
    reads every word anyway. One compiled pass, so it costs little per article.
    """
    found: Counter[str] = Counter()
    for match in _FIGURE.finditer(text):
        number = match.group("n")
        if match.group("ord") and number.isdigit():
            found[f"{DETAIL_PREFIX}{int(number)}th"] += 1
        else:
            found[DETAIL_PREFIX + number.replace(",", "")] += 1
    return found


def _block(weights: dict[str, float], keep: int, scale: float) -> dict[str, float]:
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:keep]
    norm = math.sqrt(sum(w * w for _, w in top))
    return {term: scale * w / norm for term, w in top} if norm else {}


def term_vector(
    counts: dict[str, int], df: dict[str, int], total: int, settings: MatchSettings
) -> dict[str, float]:
    """A unit-length TF-IDF vector over the article's most telling words and names.

    Three blocks, each normalized before they are joined: content words; the names
    the article mentions (``ENTITY_PREFIX`` keys) at ``entity_block_weight``; and the
    figures, ordinals and calendar words it states (``DETAIL_PREFIX`` keys, see
    :func:`figures`) at ``detail_block_weight``.
    Two reports of look-alike events (two rehab check-ins, two coaches fired by one
    club) share most of their words; who they are about is what differs, and a name
    block of fixed weight keeps a wordy article from drowning that out.
    """
    words: dict[str, float] = {}
    names: dict[str, float] = {}
    details: dict[str, float] = {}
    for term, count in counts.items():
        if count <= 0:
            continue
        rarity = math.log((total + 1) / (df.get(term, 0) + 1))
        if term.startswith(ENTITY_PREFIX):
            names[term] = (1.0 + math.log(count)) * rarity
        elif term.startswith(DETAIL_PREFIX):
            details[term] = (1.0 + math.log(count)) * rarity
        else:
            words[term] = (1.0 + math.log(count)) * (rarity + 1.0)
    vector = _block(words, settings.max_term_keys, 1.0)
    vector.update(_block(names, settings.max_entity_terms, settings.entity_block_weight))
    vector.update(_block(details, settings.max_detail_terms, settings.detail_block_weight))
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {term: w / norm for term, w in vector.items()} if norm else {}


def mentioned_years(stated: Counter[str]) -> set[int]:
    """The years an undated text writes ("the 2010-11 season", "in 2016").

    Without a date of its own, the years a report mentions are the best clue to
    when it happened: two look-alike events years apart are told apart by them.
    A text mentions earlier years too (a career, a previous edition), so these
    only rule a story out when none is near any of the story's own (dated) years,
    and never against years another text merely mentions (matcher._years_apart).
    """
    found: set[int] = set()
    for key in stated:
        number = key[len(DETAIL_PREFIX) :]
        if len(number) == 4 and number.isdigit() and _YEAR.fullmatch(number):
            found.add(int(number))
    return found


# Longest run of capitalized headline words tried as a title, and how many tried.
_MAX_TITLE_WORDS = 5
_MAX_HEADLINE_TITLES = 16
_MIN_TITLE_KEY = 4


def headline_titles(headline: str) -> frozenset[str]:
    """Base keys of the capitalized phrases of a headline, as titles would have them.

    A headline often names its film without quotes ("Inside Out 2 is 2024's biggest
    film", "Twisters tickets on sale"): the parser cannot tell such a phrase from a
    name, but a story titled so can. The phrases tried start where a run of
    capitalized words starts, after an owner ("Aespa's Armageddon Sells 1.1 Million
    Copies") and after a label's colon ("Box Office: Moana 2 Sails ..."); a run goes
    on past a colon as a subtitle does ("Squid Game: The Challenge Season 2").
    Single common words are never tried ("First", "New").
    """
    found: dict[str, None] = {}
    for match in _HEADLINE_RUN.finditer(headline):
        words = match.group().split()
        parts = [_POSSESSIVE.sub("", word.rstrip(":")) for word in words]
        starts = [0] + [n + 1 for n, word in enumerate(words[:-1]) if parts[n] != word]
        for start in starts:
            for size in range(1, min(len(parts) - start, _MAX_TITLE_WORDS) + 1):
                lead = parts[start : start + size]
                if size == 1 and (
                    lead[0].lower() in _STOP_WORDS or lead[0].lower() in _TERM_STOP_WORDS
                ):
                    continue
                release = release_of(" ".join(lead))
                if release is not None and len(release.base) >= _MIN_TITLE_KEY:
                    found[release.base] = None
                if len(found) >= _MAX_HEADLINE_TITLES:
                    return frozenset(found)
    return frozenset(found)


def _script(text: str) -> str:
    """'latin' or 'other': enough to tell a local title from an international one."""
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if ch.isascii() or "À" <= ch <= "ɏ")
    return "latin" if letters and latin * 2 >= len(letters) else "other"


def title_year(title: str, text: str) -> int | None:
    """The year the text gives in parentheses right after the title: "Dune (2021)".

    Only there: a report on a sequel often dates the first film ("the sequel to
    Denis Villeneuve's Dune (2021)"), and that year is not the sequel's.
    """
    title = title.strip()
    if not title:
        return None
    start = text.find(title)
    while start >= 0:
        found = _TITLE_YEAR.match(text, start + len(title))
        if found:
            return int(found.group(1))
        start = text.find(title, start + 1)
    return None


def dateline_year(text: str) -> int | None:
    """The year of a dateline at the top of a body (when it has no published time)."""
    found = opening_date(text[:_DATELINE_CHARS])
    return found.year if found else None


# A parenthesis with something in it: "Parasite (Gisaengchung)".
_PARENTHESIS = re.compile(r"\(([^()\n]{2,60})\)")
_CLOSING_QUOTES = "”\"’'"


def _aliases(release: Release, text: str) -> set[str]:
    """Other titles given for the primary work: "Parasite (Gisaengchung)".

    The title, a closing quote perhaps and spaces, then the parenthesis. Found from
    the parenthesis back (one pattern for every title: compiling a pattern per
    title cost more than the search itself, and a large store has more titles than
    any pattern cache holds).
    """
    found: set[str] = set()
    title = release.title.strip()
    if not title or title not in text:
        return found
    for match in _PARENTHESIS.finditer(text):
        end = match.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        before_quote = end - 1 if end > 0 and text[end - 1] in _CLOSING_QUOTES else end
        if not (text.endswith(title, 0, end) or text.endswith(title, 0, before_quote)):
            continue
        inner = match.group(1).strip()
        if _YEAR.fullmatch(inner):
            continue
        alias = release_of(inner.split(",")[0])
        if alias is not None and alias.key != release.key and not alias.base.isdigit():
            found.add(alias.key)
    return found


# Where a work was found that makes it the article's release even when the headline
# does not name it: structured data and feed categories, or a hint given by the caller.
STRUCTURED_WORK_SOURCES = frozenset({"", "jsonld", "category"})
_SEASON_SUFFIX = re.compile(r"\s+season\s+\d+$", re.IGNORECASE)


def release_work(article: Article) -> Work | None:
    """The work an article is about, as far as release matching is concerned.

    The parser also reports works it met in passing in the body ("the American Pie
    star", "the Oscars"); treating those as the article's release splits one story
    over the side remarks of its articles, and merges unrelated news that mention
    the same event. So only a work named in the headline, or given by structured
    data, counts; other articles fall back to names and text similarity.
    """
    headline = f" {fold_text(article.title)} "
    named: list[Work] = []
    for work in article.works:
        if work.source in STRUCTURED_WORK_SOURCES or work.source == "headline-quote":
            # A title the headline quotes outranks one read from cue words beside it
            # ("the John Wick spin-off 'Ballerina'").
            return work
        base = fold_text(_SEASON_SUFFIX.sub("", work.title))
        if base and f" {base} " in headline:
            named.append(work)
    return named[0] if named else None


def extract_features(
    article: Article, settings: MatchSettings, folded_body: str | None = None
) -> ArticleFeatures:
    """All keys of one article; never raises on odd input (empty, huge, non-Latin).

    ``folded_body``: fold_text of the body's first max_feature_chars, when the
    caller has it already.
    """
    text = f"{article.title}\n{article.body[: settings.max_feature_chars]}"
    primary = release_work(article)
    release = None
    if primary is not None:
        year = primary.year
        if year is None:
            year = title_year(primary.title, text)
        release = release_of(primary.title, year)
    aliases = _aliases(release, text) if release is not None else set()
    if release is not None:
        # A Hangul title also goes by its romanization ('발레리나', Ballerina).
        romanized = romanized_title(release.title)
        alias = release_of(romanized, release.year) if romanized else None
        if alias is not None and alias.key != release.key:
            aliases.add(alias.key)
        # A Japanese title written with its long vowels folded ('Shougun', Shōgun),
        # a Korean one with its syllables folded as names are ('Jeong-nyeon', Jungnyeon).
        for folded in (japanese_title(release.title), korean_title(release.title)):
            alias = release_of(folded, release.year) if folded else None
            if alias is not None and alias.key != release.key:
                aliases.add(alias.key)
    if release is not None and primary is not None:
        for other in article.works[1:]:
            # A title in another script for the same year is the local title of the
            # same work ("Ballerina" / "발레리나"), not a second work.
            alias = release_of(other.title, other.year)
            same_year = other.year is None or primary.year is None or other.year == primary.year
            if alias and same_year and _script(other.title) != _script(primary.title):
                aliases.add(alias.key)
    work_keys = {k for k in (title_key(w.title) for w in article.works) if k}
    named_works: set[str] = set()
    for work in article.works:
        mentioned_work = release_of(work.title, work.year)
        if mentioned_work is not None:
            named_works.add(mentioned_work.key)
    if release is not None:
        named_works -= {release.key, *aliases}
    display_people: dict[str, str] = {}
    person_keys: set[str] = set()
    for person in article.people:
        key = name_key(person.name)
        if key:
            person_keys.add(key)
            display_people.setdefault(key, person.name)
    names, words = _name_runs(text, len(article.title))
    head_names, head_words = _name_runs(article.title, len(article.title))
    name_keys = {k for k, _ in names.most_common(settings.max_name_keys)}
    word_keys = {k for k, _ in words.most_common(settings.max_word_keys)} - name_keys
    if release is not None:
        # The title itself is matched as a release; as a "name" it would make two
        # releases sharing a title look as if they shared people.
        name_keys = {k for k in name_keys if not k.startswith(release.base)}
        word_keys = {k for k in word_keys if not release.base.startswith(k)}
    folded_text = None
    if folded_body is not None:
        folded_text = f"{fold_text(article.title)} {folded_body}"
    stated = figures(text)
    terms = _terms(text, folded_text, stated)
    for term in _terms(article.title):
        terms[term] += int(settings.headline_mentions)
    term_counts = dict(terms.most_common(settings.max_term_candidates))
    # Who the article is about, as terms of their own (see term_vector).
    # Sorted, so that names mentioned equally often are kept the same way in every
    # run (set order changes with Python's hash seed).
    named: Counter[str] = Counter({key: names[key] for key in sorted(name_keys)})
    for key in sorted(person_keys):
        named[key] = max(named[key], 1)
    for key, count in named.most_common(settings.max_entity_terms):
        term_counts[ENTITY_PREFIX + key] = count
    if settings.detail_block_weight > 0:
        for key, count in stated.most_common(settings.max_detail_candidates):
            term_counts[key] = count
    salience: dict[tuple[str, str], float] = {("person", key): 1.0 for key in person_keys}
    for kind, kept, counts, head in (
        ("name", name_keys, names, head_names),
        ("word", word_keys, words, head_words),
    ):
        for key in kept:
            mentions = counts[key] + settings.headline_mentions * head[key]
            salience[(kind, key)] = min(1.0, mentions / settings.salient_mentions)
    years: set[int] = set()
    mentioned: set[int] = set()
    if release is not None and release.year:
        years.add(release.year)
    elif article.published is not None:
        years.add(article.published.year)
    else:
        dated = dateline_year(article.body)
        if dated is not None:
            years.add(dated)
        elif settings.mentioned_years:
            mentioned = mentioned_years(stated)
    lead = folded_text if folded_text is not None else fold_text(text[:5000])
    platforms = {PLATFORMS[m.group(1)] for m in _PLATFORM.finditer(lead[:5000])}
    return ArticleFeatures(
        release=release,
        work_keys=frozenset(work_keys),
        aliases=frozenset(aliases),
        named_works=frozenset(named_works),
        person_keys=frozenset(person_keys),
        name_keys=frozenset(name_keys),
        word_keys=frozenset(word_keys),
        term_counts=term_counts,
        years=frozenset(years),
        mentioned_years=frozenset(mentioned),
        platforms=frozenset(platforms),
        ordinals=ordinals(text[: settings.ordinal_lead_chars], settings.min_ordinal),
        display_people=display_people,
        salience=salience,
        headline_titles=headline_titles(article.title) if release is None else frozenset(),
    )
