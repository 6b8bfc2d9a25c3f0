"""Named works an article is about: films, series, seasons, shows, albums, festivals.

No language model: evidence is read from how publications write titles.

* JSON-LD ``about`` / ``mentions`` objects (Movie, TVSeries, ...), with their kind;
* quoted titles in the headline and text (curly, straight, angle and CJK quotes),
  the innermost quote winning because whole headlines are sometimes quoted too;
* italics in HTML and feed categories, when the text also names them;
* unquoted capitalised titles next to cue words: "the film Ballerina", "Netflix's
  Ballerina", "Ballerina, directed by", "Squid Game season 2", "Aviator for Oscar",
  "Fockers retain US box office lead", "the 28th Busan International Film Festival".

Every candidate collects a score from its evidence; a mention in the headline
counts most, then JSON-LD, then the number of mentions in the body. Festivals and
award ceremonies are context more often than subject, so they rank after films
and series with similar evidence. ``works[0]`` is the primary work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from aggregator.models import Work
from aggregator.parse.cues import ADJACENT_CAPITAL, Cue, CueSet, casefolded_words, word_list

# --- evidence weights (tuned on tests/fixtures/entities with bench/entities.py) ---
WEIGHT_HEADLINE_QUOTE = 10.0
WEIGHT_HEADLINE_CUE = 8.0
# A title found in the body that the headline also names, unquoted.
WEIGHT_HEADLINE_MENTION = 6.0
# The work the headline names first, of those it names.
WEIGHT_HEADLINE_FIRST = 3.0
WEIGHT_JSONLD = 8.0
WEIGHT_BODY_QUOTE = 3.0
WEIGHT_BODY_CUE = 3.0
WEIGHT_ITALIC = 2.0
WEIGHT_CATEGORY = 2.0
WEIGHT_PER_MENTION = 1.0
MAX_MENTION_BONUS = 5.0
# Festivals and ceremonies are usually the setting, not the subject.
CONTEXT_KIND_FACTOR = 0.5
CONTEXT_KINDS = frozenset({"festival", "awards"})
# Evidence below this score is too thin to report (one italic, one category).
MIN_SCORE = 2.0
# Weak evidence ("Mike Leigh film", a lone quoted word) counts this much: it needs
# a second piece (a headline mention, another cue) to pass MIN_SCORE.
WEAK_FACTOR = 0.5
MAX_TITLE_WORDS = 8
MAX_TITLE_CHARS = 80
# One character is an initial or a grade ('B'), never a title here.
MIN_TITLE_CHARS = 2
MAX_WORKS = 12
# Only this much body is searched for works: they are named early.
MAX_BODY_CHARS = 20_000

# Words naming the kind of a work, as written next to its title.
KIND_WORDS: dict[str, str | None] = {
    "film": "film", "movie": "film", "feature": "film", "documentary": "film",
    "biopic": "film", "thriller": "film", "comedy": "film", "blockbuster": "film",
    "sequel": "film", "prequel": "film", "remake": "film", "animation": "film",
    "horror": "film", "romcom": "film", "spin-off": "film", "spinoff": "film",
    "series": "series", "drama": None, "k-drama": "series", "kdrama": "series",
    "sitcom": "series", "miniseries": "series", "show": "show", "programme": "show",
    "program": "show", "musical": "show", "play": "show", "album": "album",
    "ep": "album", "mini-album": "album", "single": "song", "song": "song",
    "reboot": "film", "adaptation": None, "review": None, "hit": None, "smash": None,
    "season": "season", "festival": "festival", "awards": "awards", "ceremony": "awards",
}  # fmt: skip
_KIND_ALT = "|".join(
    sorted(
        (
            re.escape(k)
            for k in KIND_WORDS
            if k not in ("season", "awards", "ceremony", "festival", "play", "feature")
        ),
        key=len,
        reverse=True,
    )
)


# Capitalised words never a title on their own: platforms, places, generic nouns,
# and the title-case headline words that follow a title ("Ballerina Is Coming").
STOP_WORDS = casefolded_words(
    """
    The A An This That These Those It Its Netflix HBO Disney Amazon Apple Hulu Marvel Pixar
    Paramount Universal Sony Warner Prime Video BBC ITV Channel Hollywood Bollywood Korean
    Korea K-drama K-Drama Japanese American British Oscar Oscars Bafta Baftas
    Emmy Emmys Grammy Grammys Golden Globe Globes Academy Award Awards Festival Film Movie
    Series Season Drama Show Album Cinema TV New Official First Final Latest Exclusive
    Review Trailer Teaser Poster Watch Breaking News Update Photos Video January February
    March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday He She They We I You His Her Their Our My In
    On At For With From After Before When While As But And Or If So Here There What Who Why
    How Where Which Mr Mrs Ms Dr Sir Box Office Weekend Director Star Stars Cast Actor
    Actress Fans Viewers Audiences Critics Part Chapter Episode Volume Comedy Thriller
    Horror Documentary Musical Animation Sequel Remake Biopic Blockbuster Romance Action
    Controversial Veteran Former British-born French France German Germany Italian Italy
    Spanish Spain Indian India Chinese China Irish Ireland Scottish Scotland English England
    Welsh Wales European Europe Australian Australia Canadian Canada Mexican Mexico Brazilian
    Brazil Russian Russia Egyptian Egypt African Africa Asian Asia Hong Kong London Paris
    Berlin Seoul Tokyo Los Angeles New York Low-budget Big-budget Independent Animated
    Belgian Dutch Swedish Danish Norwegian Polish Greek Turkish Israeli Iranian Argentine
    Best Worst Top Great Good Big Greatest Biggest DVD CD Blu-ray Japan America Britain
    Scotland Sweden Denmark Norway Poland Greece Turkey Israel Iran Argentina Nigeria No Yes
    Not North South East West Northern Southern Eastern Western
    """
)
# Only these are cut from the end of a span: "The Cosby Show" keeps its "Show".
TRAILING_STOP_WORDS = casefolded_words(
    """
    Netflix HBO Disney Amazon Apple Hulu Prime Video BBC ITV Channel Oscar Oscars Bafta Emmy
    Golden Globe Trailer Teaser Poster Review Star Stars Director Cast Actor Actress Box
    Office Weekend Premiere Season Fans Critics January February March April May June July
    August September October November December Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday Korean British American French German Italian Spanish Indian
    Chinese Japanese Irish Scottish English Welsh European Australian Canadian Belgian Dutch
    Swedish Danish Mexican Brazilian Russian
    """
)
BREAK_WORDS = casefolded_words(
    """
    Is Are Was Were Will Would Can Could Gets Get Got Set Sets To Returns Return Reveals
    Reveal Drops Drop Unveils Unveil Announces Announce Confirms Confirm Wins Win Won Tops
    Top Leads Lead Stars Review Trailer Teaser Poster Premieres Premiere Debuts Debut
    Release Releases Date First Look Season Coming Hits Hit Breaks Break Becomes Become
    Makes Make Takes Take Shares Share Teases Tease Joins Join Starring Directed Director
    Cast Casts Renewed Cancelled Canceled Officially Finally Now Has Have Had Be Been Says
    Said Tells Told Gives Give Receives Receive Earns Earn Scores Score Sweeps Sweep
    Nominated Nominations Nomination Box Office Streaming Netflix On In At For With Of From
    By As And Vs
    """
)
# Words that end a capitalised span wherever they appear: a title never runs on
# into a date or a platform ("Ballerina for October 6", "Ballerina on Netflix").
ALWAYS_BREAK = casefolded_words(
    """
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Netflix HBO Disney Hulu
    """
)
# Stop words cut from the front of a span; "How Sweet", "The Glory" keep theirs.
LEADING_STOP_WORDS = STOP_WORDS - casefolded_words(
    """
    The A An How What Who Why Where When Which Here There If So But And Or While As My Our
    Your New First Final Official Best Worst Top Great Good Big Greatest Biggest Action
    Romance Comedy Horror Independent Animated Part Chapter Volume Golden Academy North South
    East West No Not Hong Kong London Paris Berlin Seoul Tokyo Los Angeles New York Japan
    America Britain Scotland Sweden Denmark Norway Poland Greece Turkey Israel Iran Argentina
    Nigeria France Germany Italy Spain India China Ireland England Wales Europe Australia
    Canada Mexico Brazil Russia Egypt Africa Asia Korea
    """
)
SECTION_WORDS = re.compile(
    r"^\W{0,3}(?:section|category|categories|strand|sidebar|programme|program|segment|"
    r"competition|award|prize|campaign|slogan|hashtag|tagline|caption)\b",
    re.IGNORECASE,
)

# A capitalised word ("Ballerina", "Jedi:", "9/11", "Mr."); a full stop only after
# an abbreviation, so that a span never runs into the next sentence. Decades and
# ages ("1970s", "18-year-old") are cut off later (:func:`_trim`).
# Every title pattern starts with the bare character class: the regex engine then
# skips to candidate positions by that class, three times faster than a pattern
# opening with a group or a lookahead.
_CAP_FIRST = r"[A-Z0-9À-ÖØ-Þ]"
_ABBREVIATION = "|".join(
    rf"(?<={a}\.)" for a in ("Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Vol", "No", "Vs")
)
_CAP_REST = rf"[\w'’/\-]*(?:\.(?:{_ABBREVIATION})|:(?=\s[A-Z0-9]))?"
_CAP = _CAP_FIRST + _CAP_REST
_SMALL = r"(?:of|the|and|a|an|in|on|at|to|for|with|from|or|vs\.?|de|la|le|del|da|du|von|&)"
_MORE_WORDS = rf"(?:\s(?:{_SMALL}\s)*{_CAP}){{0,{MAX_TITLE_WORDS - 1}}}"
# Atomic: a title is the longest capitalised run; backtracking into it only costs time.
TITLE = rf"{_CAP_FIRST}(?>{_CAP_REST}{_MORE_WORDS})"
# Before a cue that starts with a small word ("Aviator for Oscar") the title must
# be allowed to give words back.
TITLE_FLEX = rf"{_CAP_FIRST}{_CAP_REST}{_MORE_WORDS}"
# Two titles joined by "and" after a plural cue ("teasers for X and Y"): the first
# is as short as possible so that the "and" splits them.
_TITLE_SHORTEST = rf"{_CAP}{_MORE_WORDS}?"
TWO_TITLES = rf"(?P<t>{_TITLE_SHORTEST}),?\s+and\s+(?P<t2>{TITLE})"
# ...and before a plural verb ("X and Y lead the nominations").
TWO_TITLES_BEFORE = rf"(?P<t>{TITLE_FLEX}),?\s+and\s+(?P<t2>{TITLE})"
_PLATFORMS = (
    r"Netflix|HBO(?: Max)?|Max|Disney\+?|Disney Plus|Amazon|Prime Video|Apple TV\+?|Apple|Hulu|"
    r"Marvel|Pixar|Paramount\+?|Peacock|Warner Bros\.?|Universal|Sony|Lionsgate|A24|Neon|"
    r"BBC|ITV|Channel 4|Sky|tvN|JTBC|KBS2?|MBC|SBS|ENA|Tving|TVING|Wavve|Coupang Play|"
    r"Viki|Viu|Showtime|Starz|FX|AMC|Hallmark|DreamWorks|Ghibli|Toho|CJ ENM|Showbox"
)
_ORDINAL_NUMBERS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "one": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_SEASON_NUMBER = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
_AWARD_NAMES = (
    r"Oscars?|Academy Awards?|Baftas?|BAFTAs?|Golden Globes?|Globes?|Emmys?|Grammys?|"
    r"Palme d['’]Or|Golden Lion|Golden Bear|Critics['’] Choice|SAG Awards?|Baeksang"
)

_KIND_TRIGGERS = (*_KIND_ALT.replace("\\", "").split("|"), "K-Drama")
_PLATFORM_TRIGGERS = tuple(
    word_list(
        """
    Netflix HBO Max Disney Amazon Prime Apple Hulu Marvel Pixar Paramount Peacock Warner Universal Sony Lionsgate A24 Neon BBC ITV
    Channel Sky tvN JTBC KBS MBC SBS ENA Tving TVING Wavve Coupang Viki Viu Showtime Starz FX AMC Hallmark DreamWorks Ghibli Toho CJ Showbox
    """
    )
)
_AWARD_TRIGGERS = tuple(
    word_list("Oscar Academy Bafta BAFTA Golden Globe Emmy Grammy Palme Critics SAG Baeksang")
)
_EVENT_LABEL = "event"


def _cue(
    pattern: str,
    triggers: tuple[str, ...],
    kind: str | None,
    *,
    anchored: bool = False,
    before: int = 90,
    after: int = 40,
    weak: bool = False,
    adjacent: bool = False,
    strong: bool = False,
) -> Cue:
    """``anchored``: the pattern starts with its cue word, try it only there.
    ``weak``: a single word opening a sentence is not taken ("Controversial film
    tops festival"): sentence case capitalises it whatever it is."""
    flags = frozenset(name for name, on in (("weak", weak), ("strong", strong)) if on)
    gate = ADJACENT_CAPITAL if adjacent else None
    if adjacent:
        before = min(before, 70)
    return Cue(re.compile(pattern), triggers, kind, anchored, before, after, gate, flags)


# Cue patterns: a group "t" holds the title; the label is the kind the cue implies.
CUES = CueSet([
    # "the film Ballerina", "new K-drama Moving", "comedy Meet the Fockers"
    _cue(rf"\b(?P<k>{_KIND_ALT}|K-Drama)\s+(?P<t>{TITLE})", _KIND_TRIGGERS, None, anchored=True, after=120, strong=True),
    # "Netflix's Ballerina", "HBO’s The Last of Us"
    _cue(rf"\b(?:{_PLATFORMS})['’]s\s+(?:(?:new|upcoming|latest|hit|original)\s+)*(?P<t>{TITLE})", _PLATFORM_TRIGGERS, None, anchored=True, after=140, strong=True),
    # "Ballerina, directed by", "Ballerina (2023) starring"
    _cue(rf"(?P<t>{TITLE}),?\s+(?:\((?:\d{{4}})\)\s+)?(?:is\s+|was\s+)?(?:directed|helmed|starring|co-starring|written|created|produced)\s+by\s|(?P<t2>{TITLE}),?\s+(?:starring|co-starring)\s", ("directed", "helmed", "starring", "co-starring", "written", "created", "produced"), None, adjacent=True),
    # "the series, titled Seoul 88", "a film called Minari"
    _cue(rf"\b(?:titled|entitled|called|dubbed)\s+(?P<t>{TITLE})", ("titled", "entitled", "called", "dubbed"), None, anchored=True, after=120),
    # "the villain of Ballerina", "the star of Parasite"
    _cue(rf"\b(?:villain|hero|heroine|star|stars|director|creator|lead|protagonist|antagonist|cast)\s+of\s+(?P<t>{TITLE})", ("villain", "hero", "heroine", "star", "stars", "director", "creator", "lead", "protagonist", "antagonist", "cast"), None, anchored=True, after=120),
    # "Toronto opens with Nosferatu", "the festival closes with Megalopolis"
    _cue(rf"\b(?:opens|opened|opening|closes|closed|closing)\s+with\s+(?P<t>{TITLE})", ("opens", "opened", "opening", "closes", "closed", "closing"), "film", anchored=True, after=120, weak=True),
    # "starring in Ballerina", "role in Ballerina", "sequel to Ballerina"
    _cue(rf"\b(?:stars?|starring|starred|role|roles|appears?|appeared|cast|sequel|prequel|remake|adaptation|premiere|release|trailer|teaser|poster|first\s+look)\s+(?:in|of|to|for|at)\s+(?P<t>{TITLE})", ("star", "starring", "starred", "role", "appear", "cast", "sequel", "prequel", "remake", "adaptation", "premiere", "release", "trailer", "teaser", "poster", "first"), None, anchored=True, after=160),
    # "Aviator star Leonardo DiCaprio", "Parasite director", "Ballerina premiere"
    _cue(rf"(?P<t>{TITLE})(?:['’]s)?\s+(?:star(?!\s+(?:in|as|opposite|alongside)\b)|director|creator|cast|actor|actress|sequel|premiere|trailer|teaser|poster|screening|review|interview|finale|soundtrack|OST|spin-off|box office)\b", ("star", "director", "creator", "cast", "actor", "actress", "sequel", "premiere", "trailer", "teaser", "poster", "screening", "review", "interview", "finale", "soundtrack", "OST", "spin-off", "box office"), None, adjacent=True),
    # "teasers for The Trunk and Mr. Plankton": a plural cue names two works
    _cue(rf"\b(?:trailers|teasers|posters|first\s+looks|stills|dates|premieres)\s+(?:for|of)\s+{TWO_TITLES}", ("trailers", "teasers", "posters", "first", "stills", "dates", "premieres"), None, anchored=True, after=160),
    # "The Trunk stars Gong Yoo and Seo Hyun-jin" (the people filter drops "NAME stars NAME")
    _cue(rf"(?P<t>{TITLE})\s+(?:stars|co-stars|starred)\s+(?!as\b|in\b|opposite\b|alongside\b)[A-Z]", ("stars", "co-stars", "starred"), "film", after=3, adjacent=True),
    # "Narnia film", "Ballerina review", "Moving sequel" (not "Busan film festival")
    _cue(rf"(?P<t>{TITLE})\s+(?P<k>film|movie|series|drama|album|sequel|remake|adaptation|reboot|spin-off)\b(?!\s+(?:festival|industry|critics?|school|studios?|awards?|market|fans?|rights|fund|council|board|archive))", ("film", "movie", "series", "drama", "album", "sequel", "remake", "adaptation", "reboot", "spin-off"), None, weak=True, adjacent=True),
    # "Fockers retain US box office lead", "Aviator tops box office"
    _cue(rf"(?P<t>{TITLE})\s+(?:tops?|topped|retains?|retained|leads?|led|rules?|ruled|dominates?|dominated|wins?|won|holds?|held|takes?|took|heads?|headed|stays?|remains?|storms?|stormed|conquers?|conquered)\s+(?:atop\s+|on\s+top\s+of\s+|on\s+to\s+|onto\s+)?(?:the\s+)?(?:US\s+|UK\s+|North American\s+|global\s+|Korean\s+|weekend\s+|worldwide\s+|domestic\s+)?box\s+office", ("box office",), "film", before=110),
    # "Queen of Tears tops the ratings": weak, the subject is often an artist
    _cue(rf"(?P<t>{TITLE})\s+(?:tops?|topped|retains?|retained|leads?|led|rules?|ruled|dominates?|dominated|wins?|won|holds?|held|takes?|took|heads?|headed|stays?|remains?|storms?|stormed|conquers?|conquered)\s+(?:atop\s+|on\s+top\s+of\s+|on\s+to\s+|onto\s+)?(?:the\s+)?(?:US\s+|UK\s+|North American\s+|global\s+|Korean\s+|weekend\s+|worldwide\s+|domestic\s+)?(?:chart|charts|ratings|Billboard)(?!(?:\s+\d+)?\s+with\s)", ("chart", "charts", "ratings", "Billboard"), None, before=110, after=20, weak=True),
    # "Past Lives and Oppenheimer lead Independent Spirit nominations"
    _cue(rf"(?:{TWO_TITLES_BEFORE}\s+(?:lead|top|dominate|share|battle|vie|compete|clash)|(?P<t3>{TITLE})\s+(?:leads|led|tops|topped|dominates|dominated))\s+(?:(?:for|at|in|on)\s+)?(?:the\s+)?(?:[\w'’-]+\s+){{0,4}}(?:nominations|nods|shortlist|box\s+office)", ("nominations", "nods", "shortlist", "box office"), "film", before=200, after=12),
    # "Bookmakers back Aviator for Oscar", "Aviator wins Golden Globes", "Sideways leads Oscar nominations"
    _cue(rf"(?P<t>{TITLE_FLEX})\s+(?:for|to win|wins?|won|scoops?|scooped|leads?|led|tops?|topped|sweeps?|swept|dominates?|dominated|takes?|took|grabs?|grabbed|bags?|bagged)\s+(?:the\s+|an?\s+|\d+\s+|top\s+|best\s+picture\s+|best\s+film\s+)*(?:{_AWARD_NAMES})", _AWARD_TRIGGERS, "film"),
    # "best picture for Sideways", "the Oscar for The Aviator"
    _cue(rf"\b(?:best picture|best film)\s+(?:nod\s+|nomination\s+|award\s+)?for\s+(?P<t>{TITLE})", ("best picture", "best film"), "film", anchored=True, after=120),
    # "the Oscar for The Aviator": weak, an award goes to people as often
    _cue(rf"\b(?:Oscar|Bafta|Golden Globe)\s+(?:nod\s+|nomination\s+)?for\s+(?P<t>{TITLE})", ("Oscar", "Bafta", "Golden Globe"), "film", anchored=True, after=120, weak=True),
    # "Squid Game season 2", "Squid Game Season Two"
    _cue(rf"(?P<t>{TITLE})(?:['’]s)?\s+[Ss]eason\s+(?P<n>(?i:{_SEASON_NUMBER}))\b", ("season", "Season"), "season", before=100, after=12, adjacent=True),
    # "Lookism gets a live-action series", "Parasite gets a sequel"
    _cue(rf"(?P<t>{TITLE})\s+(?:gets|get|lands|receives|is\s+getting)\s+(?:a|an|its)\s+(?:[a-z-]+\s+){{0,2}}(?:series|film|movie|sequel|prequel|remake|adaptation|spin-off|reboot|musical)\b", ("series", "film", "movie", "sequel", "prequel", "remake", "adaptation", "spin-off", "reboot", "musical"), None, before=140, after=3),
    # "Exhuma crosses 10 million admissions"
    _cue(rf"(?P<t>{TITLE})\s+(?:crosses|crossed|passes|passed|surpasses|surpassed|hits|hit|reaches|reached|tops|topped|breaks|broke|draws|drew|attracts|attracted)\s+(?:the\s+)?[\d.,]+\s*(?:million|m|bn|billion)?\s+(?:admissions|viewers|views|moviegoers|cinemagoers|tickets|streams)", ("admissions", "viewers", "views", "moviegoers", "cinemagoers", "tickets", "streams"), "film", before=140, after=3),
    # "top the Billboard 200 with ATE", "hit number one with Rosie"
    _cue(rf"\b(?:chart|charts|Billboard\s+200|Billboard\s+Hot\s+100|number\s+one|No\.\s*1)\s+with\s+(?P<t>{TITLE})", ("chart", "charts", "Billboard", "number", "No"), None, anchored=True, after=120),
    # "renews Severance for a third season", "Moving gets a second season"
    _cue(rf"(?P<t>{TITLE})\s+(?:for|gets|get|got|lands|landed|earns|earned|with)\s+(?:a|an|its)\s+(?P<o>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{{1,2}}(?:st|nd|rd|th))\s+season", ("season", "Season"), "season", before=140, after=3),
    # "the second season of Squid Game", "season 2 of Squid Game"
    _cue(rf"\b(?i:(?P<o>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{{1,2}}(?:st|nd|rd|th))\s+season|season\s+(?P<n>{_SEASON_NUMBER}))\s+of\s+(?P<t>{TITLE})", ("season", "Season"), "season", before=20, after=120),
    # "the 28th Busan International Film Festival", "the 77th Golden Globe Awards"
    _cue(
        r"(?P<t>[A-Z](?>[\w'’\-]*(?:\s[A-Z][\w'’\-]*){0,7}))",
        ("Festival", "Awards", "Oscars", "Globes", "Emmys", "Grammys", "Baftas", "Biennale", "Berlinale"),
        _EVENT_LABEL,
    ),
])  # fmt: skip
_YEAR_AFTER = re.compile(r"^\s*\((?:19|20)(\d\d)\)")
_KIND_BEFORE = re.compile(rf"(?:^|\W)(?P<k>{_KIND_ALT}|season|festival)\W{{0,3}}$", re.IGNORECASE)
# Each branch opens with its quote mark (so the engine skips ahead by that
# character set); the look-behind after it keeps "Netflix’s" from opening a quote.
# Inside single quotes, an apostrophe between two letters is part of a word
# ('Single's Inferno 3', ‘Frieren: Beyond Journey’s End’), not the closing quote.
_QUOTED = re.compile(
    r"(?:“(?<!\w“)(?P<a>[^“”\n]{1,120})”"
    r"|‘(?<!\w‘)(?P<b>(?:[^‘’\n]|(?<=\w)’(?=\w)){1,120}?)’(?!\w)"
    r"|\"(?<!\w\")(?P<c>[^\"\n]{1,120})\""
    r"|'(?<!\w')(?P<d>(?:[^'\n]|(?<=\w)'(?=\w)){1,120}?)'(?!\w)"
    r"|«(?P<e>[^«»\n]{1,120})»|「(?P<f>[^「」\n]{1,120})」"
    r"|『(?P<g>[^『』\n]{1,120})』|《(?P<h>[^《》\n]{1,120})》|〈(?P<i>[^〈〉\n]{1,120})〉)"
)
_WORD = re.compile(r"[\w'’\-]+")
_SMALL_WORDS = frozenset(
    word_list("of the and a an in on at to for with from or vs de la le del da du von")
)


_OPENING_QUOTES = re.compile("[“‘\"'«「『《〈]")
# Guillemets and CJK brackets mark titles in languages that write them in sentence case.
_TITLE_QUOTES = frozenset("efghi")


def quoted_spans(text: str) -> list[tuple[str, int, int, bool]]:
    """Quoted spans with (start, end) in ``text`` and whether the quote marks are
    title quotes (guillemets, CJK brackets); innermost first when quotes nest."""
    found: list[tuple[str, int, int, bool]] = []
    for match in _QUOTED.finditer(text):
        group = next(name for name, value in match.groupdict().items() if value is not None)
        inner, start = match.group(group), match.start(group)
        nested = (
            [(t, start + s, start + e, q) for t, s, e, q in quoted_spans(inner)]
            if _OPENING_QUOTES.search(inner)
            else []
        )
        found.extend(nested or [(inner, start, start + len(inner), group in _TITLE_QUOTES)])
    return found


def looks_like_title(span: str, sentence_case: bool = False) -> bool:
    """Title case (or a non-Latin script), short, and not a sentence.

    ``sentence_case`` accepts "Anatomie d’une chute": titles in guillemets.
    """
    span = span.strip()
    if not span or len(span) > MAX_TITLE_CHARS:
        return False
    words = _WORD.findall(span)
    if not words or len(words) > MAX_TITLE_WORDS:
        return False
    first = span[0]
    if not first.isascii() and first.isalpha() and not first.isupper() and not first.islower():
        return True  # Hangul, kana, CJK: no letter case to go by
    if not (first.isupper() or first.isdigit() or first in "¡¿"):
        return False
    if span[-1] in ".," or (len(words) > 3 and span[-1] in "!?"):
        return False
    if len(words) > 1 and words[-1].casefold() in _SMALL_WORDS:
        return False  # "described BBC Two as the": a cut-off sentence
    if sentence_case:
        return True
    content = [w for w in words[1:] if w.casefold() not in _SMALL_WORDS]
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return not content or capitalised / len(content) >= 0.6


def _is_headline_title_case(headline: str) -> bool:
    words = [w for w in _WORD.findall(headline) if w.casefold() not in _SMALL_WORDS]
    return len(words) >= 3 and sum(1 for w in words if w[0].isupper()) / len(words) >= 0.8


# Decades, ages and ordinals ("1970s", "18-year-old", "12th") end a title span.
# Upper-case only: "The Last of Us" keeps its "Us".
_COUNTRY_CODES = frozenset({"US", "UK", "USA", "EU"})
# "Miyazaki's The Boy and the Heron": an owner before a title that opens with an
# article; otherwise the possessive is the title's own ("Schindler's List",
# "Dead Man's Shoes").
_OWNER_PREFIX = re.compile(r"^[^'’]{2,40}['’]s\s+(?=(?:The|A|An)\s)")
# "Choi Min-sik and Kim Go-eun's Exhuma", "Bong Joon-ho's Parasite": people owning a
# title that does not open with an article. See _without_owners.
_OWNERS = re.compile(r"^(?P<owners>[^'’]{3,80})['’]s\s+(?P<rest>\S.*)$")
_OWNER_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
# A romanized East Asian full name with a hyphenated given name: "Jang Jae-hyun".
_HYPHENATED_NAME = re.compile(r"^[A-Z][a-z]{1,5} [A-Z][a-z]{1,6}-[a-z]{1,6}$")
_DECADE_OR_AGE = re.compile(r"\d+s$|\d+-year|\d+(?:st|nd|rd|th)$")
_YEAR_WORD = re.compile(r"(?:19|20)\d\d$")


def _trim(title: str, title_case: bool) -> str:
    """Cut cue words and stop words off a capitalised span."""
    words = _OWNER_PREFIX.sub("", title).split()
    for index, word in enumerate(words):
        if _DECADE_OR_AGE.match(word):
            words = words[:index]
            break
        if index > 1 and _YEAR_WORD.match(word) and words[index - 1].islower():
            words = words[: index - 1]  # "The Godfather in 1973"
            break
    for index, word in enumerate(words[1:], start=1):
        if word.strip(":'’").casefold() in ALWAYS_BREAK:
            words = words[:index]
            break
    if title_case:
        for index, word in enumerate(words[1:], start=1):
            if word[:1].isupper() and word.strip(":'’").casefold() in BREAK_WORDS:
                words = words[:index]
                break
    while words and (
        (words[-1].islower() and words[-1] in _SMALL_WORDS)  # "Carry On" keeps its "On"
        or words[-1].casefold().strip(":") in TRAILING_STOP_WORDS
        or words[-1] in _COUNTRY_CODES
    ):
        words.pop()
    while words and words[0].casefold() in LEADING_STOP_WORDS:
        words.pop(0)
    if len(words) > 1 and _YEAR_WORD.match(words[0]):
        words.pop(0)  # "1950 in No Way Out": a year, then the title
        while words and words[0].casefold() in _SMALL_WORDS:
            words.pop(0)
    if words and words[0].casefold() in ("the", "a", "an") and len(words) == 1:
        return ""
    text = " ".join(words).strip(" :,;-'’")
    if text.endswith(("'s", "’s")):
        text = text[:-2]
    return text


def _without_owners(title: str, people: frozenset[str]) -> str:
    """The title past the people who own it: "Choi Min-sik and Kim Go-eun's Exhuma"
    is "Exhuma".

    Only when every owner is a person: a full name the parser found in the article,
    or a romanized name with a hyphenated given name ("Jang Jae-hyun"). A single
    word or an unknown name before the possessive is the title's own ("Schindler's
    List", "Bridget Jones's Diary").
    """
    match = _OWNERS.match(title)
    if match is None:
        return title
    owners = [part for part in _OWNER_SPLIT.split(match.group("owners").strip()) if part]
    if owners and all(
        (" " in owner and owner.casefold() in people) or _HYPHENATED_NAME.match(owner)
        for owner in owners
    ):
        return match.group("rest")
    return title


def work_key(title: str) -> str:
    """Folded title without a leading article: "The Aviator" and "Aviator" are one."""
    key = re.sub(r"[\W_]+", " ", title.casefold()).strip()
    for article in ("the ", "a ", "an "):
        if key.startswith(article) and len(key) > len(article) + 2:
            return key[len(article) :]
    return key


def _is_generic(title: str) -> bool:
    words = [w.casefold() for w in _WORD.findall(title)]
    return not words or all(
        w in STOP_WORDS
        or w in _SMALL_WORDS
        or (w.isdigit() and len(words) == 1)  # "Seoul 88" is a title, "2024" is not
        or w.upper() in _COUNTRY_CODES
        or w.endswith(("-born", "-based", "-winning", "-nominated"))
        for w in words
    )


@dataclass
class _Candidate:
    title: str
    score: float = 0.0
    headline: float = 0.0
    # Named as a title beyond doubt (quoted, JSON-LD, "the film X", "Netflix's X"):
    # such a span is a work even when a name pattern also took it for a person.
    strong: bool = False
    kind: str | None = None
    year: int | None = None
    season: int | None = None
    sources: list[str] = field(default_factory=list)
    order: int = 0


class _Works:
    """Candidates keyed by a folded title; evidence adds to their scores."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, int | None], _Candidate] = {}

    def add(
        self,
        title: str,
        weight: float,
        source: str,
        kind: str | None = None,
        year: int | None = None,
        season: int | None = None,
        strong: bool = False,
    ) -> None:
        title = " ".join(title.split()).strip(" ,.;:!?-–—")
        if len(title) < MIN_TITLE_CHARS or len(title) > MAX_TITLE_CHARS:
            return
        if kind not in CONTEXT_KINDS and _is_generic(title):
            return
        key = (work_key(title), season)
        item = self.items.get(key)
        if item is None:
            item = self.items[key] = _Candidate(title=title, order=len(self.items))
        elif len(title) > len(item.title):
            item.title = title  # "The Aviator" over "Aviator"
        if source.startswith("headline"):
            # A title quoted and cued in one headline is one piece of evidence.
            item.headline = max(item.headline, weight)
        else:
            item.score += weight
        if source not in item.sources:
            item.sources.append(source)
        if kind and (item.kind is None or item.kind in ("show", "song") or kind == "season"):
            item.kind = kind
        item.year = item.year or year
        item.season = item.season or season
        item.strong = item.strong or strong

    def fold_seasons(self) -> None:
        """A series named once with one season number is that season's article."""
        by_title: dict[str, list[tuple[str, int | None]]] = {}
        for key in self.items:
            by_title.setdefault(key[0], []).append(key)
        for title, keys in by_title.items():
            seasons = [k for k in keys if k[1] is not None]
            if len(seasons) == 1 and (title, None) in self.items:
                plain = self.items.pop((title, None))
                season = self.items[seasons[0]]
                season.score += plain.score
                season.headline = max(season.headline, plain.headline)
                season.order = min(season.order, plain.order)
                season.title = plain.title
                season.sources = plain.sources + [
                    s for s in season.sources if s not in plain.sources
                ]

    def strong_titles(self) -> list[str]:
        return [item.title for item in self.items.values() if item.strong]

    def drop_joined(self) -> None:
        """ "X and Y" found whole once and as X and Y elsewhere is two works."""
        for key in [k for k in self.items if " and " in k[0]]:
            parts = key[0].split(" and ")
            if all((work_key(part), key[1]) in self.items for part in parts):
                del self.items[key]

    def ranked(self, body: str, headline: str) -> list[Work]:
        self.fold_seasons()
        self.drop_joined()
        results = []
        first: tuple[int, _Candidate] | None = None
        for item in self.items.values():
            if item.headline < WEIGHT_HEADLINE_MENTION and _names_in(item.title, headline):
                item.headline = WEIGHT_HEADLINE_MENTION
            position = headline.find(item.title) if item.headline else -1
            if position != -1 and (first is None or position < first[0]):
                first = (position, item)
        if first is not None:
            first[1].headline += WEIGHT_HEADLINE_FIRST
        for item in self.items.values():
            mentions = body.count(item.title) + headline.count(item.title)
            evidence = item.score + item.headline
            score = evidence + min(MAX_MENTION_BONUS, WEIGHT_PER_MENTION * mentions)
            if item.kind in CONTEXT_KINDS:
                score *= CONTEXT_KIND_FACTOR
            if evidence >= MIN_SCORE:
                results.append((score, -item.order, item))
        results.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
        return [
            Work(
                # "Squid Game season 2": the title says which release, as it is written
                # and as the matcher reads installments.
                title=f"{i.title} season {i.season}" if i.season else i.title,
                kind=i.kind,
                year=i.year,
                source=i.sources[0],
                season=i.season,
            )
            for _, _, i in results[:MAX_WORKS]
        ]


def _names_in(title: str, text: str) -> bool:
    """``text`` contains ``title`` as whole words (case-sensitive: titles are capitalised)."""
    start = text.find(title)
    while start != -1:
        end = start + len(title)
        before_ok = start == 0 or not text[start - 1].isalnum()
        if before_ok and (end == len(text) or not text[end].isalnum()):
            return True
        start = text.find(title, start + 1)
    return False


def _season_number(text: str | None) -> int | None:
    if not text:
        return None
    text = text.casefold()
    digits = re.match(r"\d+", text)
    return int(digits.group(0)) if digits else _ORDINAL_NUMBERS.get(text)


def _quote_kind(text: str, start: int, end: int) -> str | None:
    before = _KIND_BEFORE.search(text[max(0, start - 25) : max(0, start - 1)])
    if before:
        return KIND_WORDS.get(before.group("k").casefold())
    after = text[end + 1 : end + 30].casefold()
    if re.match(r"^\W{0,3}season\s+\w", after):
        return "season"
    return None


def _year_after(text: str, end: int) -> int | None:
    match = _YEAR_AFTER.match(text[end : end + 12])
    return int(text[end + 2 : end + 6]) if match else None


def _quotes(works: _Works, text: str, weight: float, source: str) -> None:
    for span, start, end, title_quotes in quoted_spans(text):
        raw = span.strip()
        if raw[-1:] in ",.!?" and len(raw.split()) > 3:
            continue  # a quoted sentence: someone's words, not a title
        title = raw.strip(",.;:").strip()
        if not looks_like_title(title, title_quotes):
            continue
        if SECTION_WORDS.match(text[end + 1 : end + 25]):
            continue
        kind = _quote_kind(text, start, end)
        # A lone quoted word in running text is as often a term ('urban') as a title.
        evidence = weight * WEAK_FACTOR if " " not in title and kind is None else weight
        season = None
        if kind == "season":
            match = re.match(
                r"^\W{0,3}season\s+" + _SEASON_NUMBER, text[end + 1 : end + 30], re.IGNORECASE
            )
            season = _season_number(match.group(1)) if match else None
            if season is None:
                kind = "series"
        strong = evidence == weight  # not a lone quoted word
        works.add(title, evidence, source, kind, _year_after(text, end + 1), season, strong)


_EVENT_LEADING = casefolded_words("The A An This That At In On Of For And Its Their His Her")
_SINGLE_WORD_EVENTS = frozenset({"Berlinale", "Biennale", "Oscars", "Baftas", "Emmys", "Grammys"})


_EVENT_WORDS = frozenset(
    word_list("Festival Awards Oscars Globes Emmys Grammys Baftas Biennale Berlinale")
)


def _event(works: _Works, span: str, weight: float, source: str) -> None:
    """An event name: a capitalised run up to its last event word ("... Film Festival")."""
    words = [w.removesuffix("’s").removesuffix("'s") for w in span.split()]
    while words and words[-1] not in _EVENT_WORDS:
        words.pop()
    words = words[-6:]
    while words and words[0].casefold() in _EVENT_LEADING:
        words.pop(0)
    title = " ".join(words)
    if len(words) < 2 and title not in _SINGLE_WORD_EVENTS:
        return
    kind = "festival" if re.search(r"Festival|Berlinale|Biennale", title) else "awards"
    works.add(title, weight, source, kind)


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip()
    return not before or before[-1] in ".!?:\n\"“‘'"


CueMatches = list[tuple[Cue, re.Match[str]]]


def _inside_word(text: str, start: int) -> bool:
    """Does a span start inside a hyphenated word ("anti-Nazi film", "pro-Kremlin
    series")? Its capitalised part is the object of the prefix, not a title."""
    return start >= 2 and text[start - 1] in "-‐‑" and text[start - 2].isalpha()


def _cues(
    works: _Works,
    text: str,
    weight: float,
    source: str,
    title_case: bool,
    matches: CueMatches,
    people: frozenset[str] = frozenset(),
) -> None:
    for cue, match in matches:
        if cue.label == _EVENT_LABEL:
            _event(works, match.group("t"), weight, source)
            continue
        groups = match.groupdict()
        kind = cue.label
        if groups.get("k"):
            kind = KIND_WORDS.get(groups["k"].casefold(), cue.label)
        elif kind is None and match.group(0).endswith("box office"):
            kind = "film"
        season = None
        if cue.label == "season":
            season = _season_number(groups.get("n") or groups.get("o"))
            if season is None:
                continue
        for group in ("t", "t2", "t3"):
            if not groups.get(group) or _inside_word(text, match.start(group)):
                continue
            title = _without_owners(_trim(groups[group], title_case), people)
            weak = "weak" in cue.flags
            if weak and " " not in title and _opens_sentence(text, match.start(group)):
                continue
            if title:
                year = _year_after(text, match.end(group))
                evidence = weight * WEAK_FACTOR if weak else weight
                strong = "strong" in cue.flags
                works.add(title, evidence, source, kind, year, season, strong)


def find_works(
    headline: str,
    body: str = "",
    *,
    jsonld: Iterable[tuple[str, str | None, int | None]] = (),
    italics: Iterable[str] = (),
    categories: Iterable[str] = (),
    people: Iterable[str] = (),
    owners: Iterable[str] | None = None,
    cue_matches: tuple[CueMatches, CueMatches] | None = None,
    strong_titles: set[str] | None = None,
) -> list[Work]:
    """Works the article is about, most prominent first (``works[0]`` is the primary).

    ``people`` are names already known to be people: "Jeon Jong-seo star" is a
    cue shape for works too, so a span that is a person's name is not a work.
    ``owners`` (default: ``people``): the names that may own a title written after
    them ("Bong Joon-ho's Parasite"); not characters, whose names are often a title's
    own ("Bridget Jones's Diary").
    ``cue_matches``: this module's cue matches in (headline, body), when the caller
    has scanned for them already (see :mod:`aggregator.parse.entities`).
    ``strong_titles``, when given, receives the folded titles of works named beyond
    doubt: a person of that name is the work misread.
    """
    body = body[:MAX_BODY_CHARS]
    if cue_matches is None:
        cue_matches = (CUES.matches(headline), CUES.matches(body))
    works = _Works()
    for name, kind, year in jsonld:
        works.add(name, WEIGHT_JSONLD, "jsonld", kind, year, strong=True)
    _quotes(works, headline, WEIGHT_HEADLINE_QUOTE, "headline-quote")
    title_case = _is_headline_title_case(headline)
    people = list(people)
    known = frozenset(name.casefold() for name in (people if owners is None else owners))
    _cues(works, headline, WEIGHT_HEADLINE_CUE, "headline-cue", title_case, cue_matches[0], known)
    if body:
        _quotes(works, body, WEIGHT_BODY_QUOTE, "quote")
        _cues(works, body, WEIGHT_BODY_CUE, "cue", False, cue_matches[1], known)
    for text in italics:
        text = text.strip()
        if looks_like_title(text) and text in body:
            works.add(text, WEIGHT_ITALIC, "italic")
    for category in categories:
        category = category.strip()
        if looks_like_title(category) and (category in headline or category in body):
            works.add(category, WEIGHT_CATEGORY, "category")
    names = {name.casefold() for name in people}
    # "Moore film" after "Michael Moore": a surname alone is the person too.
    for name in people:
        words = name.casefold().split()
        names.update(" ".join(words[i:]) for i in range(1, len(words)))
    strong = {title.casefold() for title in works.strong_titles()}
    if strong_titles is not None:
        strong_titles.update(strong)
    return [
        work
        for work in works.ranked(body, headline)
        if work.title.casefold() in strong
        or not all(part in names for part in work.title.casefold().split(" and "))
    ]
