"""People an article is about: cast, directors, writers and characters.

Names are found next to the words that give them a role ("directed by", "starring",
"plays", "as", "played by", "the character of"), so that a capitalised word is
only taken as a name when the text says who it is. Each written form is kept as
written (Ok-joo, Ok-ju, Choi-pro, Choi Pro): folding romanization variants into
one key is the matcher's job (aggregator.normalize.names), not the parser's.
"""

from __future__ import annotations

import re

from aggregator.models import Person
from aggregator.parse.cues import ADJACENT_CAPITAL, Cue, CueSet, casefolded_words, word_list

MAX_PEOPLE = 40
MAX_TEXT_CHARS = 20_000

# A name word: "Jeon", "Jong-seo", "Ok-joo", "O'Brien", "DiCaprio", "Zoë", "J."
_LOWER = r"a-zà-öø-ÿ"
_UPPER = r"A-ZÀ-ÖØ-Þ"
# After its capital letter; patterns start with the bare capital class, which lets
# the regex engine skip quickly to candidate positions.
_TOKEN_REST = rf"(?:[{_LOWER}]+(?:['’](?!s\b)[{_UPPER}]?[{_LOWER}]+|[{_UPPER}][{_LOWER}]+)*(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)*|\.)"
_TOKEN = rf"[{_UPPER}]{_TOKEN_REST}"
_PARTICLE = r"(?:van|von|de|da|del|der|di|le|la|du|bin|al)"
_NAME_REST = rf"{_TOKEN_REST}(?:\s(?:{_PARTICLE}\s)?{_TOKEN}){{0,3}}"
NAME = rf"[{_UPPER}](?>{_NAME_REST})"
# A Korean name written in Hangul: two to four syllables, family name first (전종서).
_HANGUL_NAME = r"[가-힣]{2,4}(?![가-힣])"
_HANGUL_LIST = rf"{_HANGUL_NAME}(?:,\s{_HANGUL_NAME}){{0,8}}(?:,?\s(?:and|&)\s{_HANGUL_NAME})?"
_LIST = (
    rf"(?:[{_UPPER}](?>{_NAME_REST}(?:,\s{NAME}){{0,8}}(?:,?\s(?:and|&)\s{NAME})?)"
    rf"|{_HANGUL_LIST})"
)
# Descriptions between a cue and a name: "played by the talented Jeon Jong-seo".
_FILLER = r"(?:(?:the|a|an|actor|actress|actors|actresses|singer|star|rapper|idol|veteran|newcomer|rising|talented|acclaimed|award-winning|versatile|young|Korean|British|American|French|Japanese|legendary|beloved|popular|famous|Oscar-winning|musician|co-stars?|fellow)\s)*"


# Words that are capitalised but never a person's name.
NOT_NAMES = casefolded_words(
    """
    The A An This That These Those It Its He She They We I You His Her Their Our Netflix
    HBO Disney Amazon Apple Hulu Marvel Pixar Paramount Universal Sony Warner BBC ITV
    Hollywood Korea Korean America American Britain British Japan Japanese China Chinese
    Seoul London Busan Cannes Venice Berlin Toronto Sundance Oscar Oscars Bafta Emmy Golden
    Globe Academy Award Awards Festival Film Movie Series Season Drama Show Album Episode
    Part Chapter January February March April May June July August September October
    November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday In On At For
    With From After Before When While As But And Or If So Here There What Who Why How Where
    Which Meanwhile However Also Director Actor Actress Star Stars Cast Mr Mrs Ms Dr Sir
    Dame Lord Lady Critics Fans Viewers Audiences Studio Studios
    """
)
_TITLE_PREFIX = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Sir|Dame)\.?\s+")


def _cue(
    pattern: str,
    triggers: tuple[str, ...],
    role: str | None,
    before: int = 90,
    after: int = 220,
    gate: str | None = None,
    adjacent: bool = False,
) -> Cue:
    """Patterns written to start with their cue word are tried only at the cue word."""
    anchored = pattern.startswith(r"\b")
    compiled_gate = ADJACENT_CAPITAL if adjacent else re.compile(gate) if gate else None
    if adjacent:
        before = min(before, 90)
    return Cue(re.compile(pattern), triggers, role, anchored, before, after, compiled_gate)


# Groups: "l" a name or list of names with the cue's role, "c" a character,
# "u" a person whose role the text does not say.
CUES = CueSet(
    [
        # "directed by Lee Chung-hyun", "written and directed by Bong Joon-ho"
        _cue(
            rf"\b(?:[Dd]irected|[Hh]elmed|[Hh]elmed)\s+by\s+{_FILLER}(?:director\s|filmmaker\s)?(?P<l>{_LIST})",
            word_list("Directed directed Helmed helmed"),
            "director",
        ),
        # "director Lee Chung-hyun", "filmmaker Bong Joon-ho"
        _cue(
            rf"\b(?:[Dd]irector|[Ff]ilmmaker|[Hh]elmer|[Aa]uteur|[Dd]irectors)\s+(?P<l>{_LIST})",
            word_list("director Director directors Directors filmmaker Filmmaker helmer auteur"),
            "director",
        ),
        # "Bong Joon-ho directs", "Lee Chung-hyun directed the film"
        _cue(
            rf"(?P<l>{NAME})\s+(?:directs|directed|helms|helmed)\s+(?:the|this|a|his|her)\b",
            word_list("directs directed helms helmed"),
            "director",
            adjacent=True,
        ),
        # "written by", "creator Hwang Dong-hyuk", "composer Gray"
        _cue(
            rf"\b(?:[Ww]ritten|[Pp]enned|[Ss]cripted)\s+by\s+{_FILLER}(?P<l>{_LIST})",
            word_list("written Written penned Penned scripted Scripted"),
            "writer",
        ),
        _cue(
            rf"\b(?:[Ss]creenwriter|[Ww]riter|[Ss]cribe)\s+(?P<l>{_LIST})",
            word_list("screenwriter Screenwriter writer Writer scribe"),
            "writer",
        ),
        _cue(
            rf"\b(?:[Cc]reated\s+by|[Cc]reator|[Ss]howrunner)\s+{_FILLER}(?P<l>{_LIST})",
            word_list("created Created creator Creator showrunner Showrunner"),
            "creator",
        ),
        _cue(
            rf"\b(?:[Pp]roduced\s+by|[Pp]roducers?)\s+{_FILLER}(?P<l>{_LIST})",
            word_list("produced Produced producer Producer producers Producers"),
            "producer",
        ),
        _cue(
            rf"\b(?:[Cc]omposer|[Mm]usician|[Ss]core\s+by|[Mm]usic\s+by)\s+{_FILLER}(?P<l>{_LIST})",
            word_list("composer Composer musician Musician score Score music Music"),
            "music",
        ),
        # "starring Jeon Jong-seo, Kim Ji-hoon and Park Yu-rim", "cast that includes ..."
        _cue(
            rf"\b(?:[Ss]tarring|[Cc]o-starring|[Ff]eaturing|[Ss]tars|[Ll]eads|[Cc]ast\s+(?:members\s+)?(?:that\s+|which\s+)?(?:includes?|including|of)|[Cc]ast,\s+including|[Cc]ast\s+members|[Aa]ctors?|[Aa]ctress(?:es)?|[Cc]o-stars?|[Ll]ead\s+(?:actor|actress|star)|[Ss]tar)\s+{_FILLER}(?P<l>{_LIST})",
            word_list(
                "starring Starring co-starring Co-starring featuring Featuring stars Stars leads Leads cast Cast actor Actor actors Actors actress Actress actresses Actresses co-star Co-star co-stars Co-stars lead Lead star Star"
            ),
            "cast",
        ),
        # "Jeon Jong-seo plays Ok-joo", "Kim Ji-hoon as Choi Pro", "stars as"
        _cue(
            rf"(?P<l>{NAME})\s+(?P<v>(?:will|to|is\s+set\s+to)\s+play|plays|played|portrays|portrayed|voices|voiced|stars\s+as|starred\s+as|starring\s+as|appears\s+as|appeared\s+as|returns\s+as|returned\s+as|is\s+back\s+as|(?:is|was|has\s+been|have\s+been|been)\s+cast\s+as|as)\s+(?:the\s+)?(?:[a-z]+\s+)?(?:(?:character|role)\s+(?:of\s+)?)?(?P<c>{NAME})",
            word_list(
                "plays played play portrays portrayed voices voiced stars starred starring appears appeared returns returned back cast as"
            ),
            "cast",
            before=80,
            after=90,
            adjacent=True,
        ),
        # "Song Kang-ho and Park So-dam lead the cast", "Jeon Jong-seo stars in"
        _cue(
            rf"(?P<l>{_LIST})\s+(?:lead|leads|led|head|heads|headline|headlines|front|fronts)\s+(?:the\s+)?(?:[a-z]+\s+)?(?:cast|ensemble|film|series|drama|movie)\b",
            word_list("lead leads led head heads headline headlines front fronts"),
            "cast",
            adjacent=True,
        ),
        _cue(
            rf"(?P<l>{_LIST})\s+(?:star|stars|starred|co-star|co-stars|co-starred)(?:\s+(?:in|as|opposite|alongside)\b|\s*[.;,])",
            word_list("star stars starred co-star co-stars co-starred"),
            "cast",
            adjacent=True,
        ),
        # "Bong Joon-ho’s ‘Parasite’", "Lee Chung-hyun’s revenge thriller": a person, role unsaid
        _cue(
            rf"(?P<u>{NAME})(?:['’]s|(?<=s)['’])\s+(?:[A-Z][\w-]*\s+){{0,3}}(?:(?:new|latest|upcoming|next|acclaimed|debut|hit|revenge|action|crime|horror|romantic|Oscar-winning)\s+)*(?:[‘“\"]|(?:film|movie|drama|series|thriller|comedy|biopic|documentary|feature|debut|remake|horror|sequel)\b)",
            word_list(
                "‘ “ film movie drama series thriller comedy biopic documentary feature debut remake horror sequel"
            ),
            None,
            before=70,
            after=4,
            gate=r"['’]s?\s",
        ),
        # "with Shawn Levy directing", "Bong Joon-ho directing"
        _cue(
            rf"(?P<l>{NAME})\s+(?:directing|helming|at\s+the\s+helm)\b",
            word_list("directing helming at"),
            "director",
            adjacent=True,
        ),
        # "comedian Ji Ye-eun": a person whose role in a work the text does not say
        _cue(
            rf"\b(?:[Cc]omedian|[Ss]inger|[Rr]apper|[Pp]resenter|[Hh]ost|[Ss]ongwriter|[Dd]ancer)\s+{_FILLER}(?P<u>{NAME})",
            word_list(
                "comedian Comedian singer Singer rapper Rapper presenter Presenter host Host"
                " songwriter Songwriter dancer Dancer"
            ),
            None,
        ),
        # "opposite Kim Ji-hoon", "alongside Park Yu-rim"
        _cue(
            rf"\b(?:opposite|alongside|co-star|co-stars)\s+{_FILLER}(?P<l>{_LIST})",
            word_list("opposite alongside co-star co-stars"),
            "cast",
        ),
        # "Ok-ju, played by the talented Jeon Jong-seo", "Choi Pro (played by Kim Ji-hoon)"
        _cue(
            rf"(?P<c>{NAME})(?:,\s(?:a|an|the)\s[^,.;()]{{1,50}})?,?\s+\(?(?:played|portrayed|voiced|performed)\s+(?:[a-z]+\s+){{0,2}}by\s+{_FILLER}(?P<l>{NAME})",
            word_list("played portrayed voiced performed"),
            "cast",
        ),
        # "his former fiancee, played by Lee Yoo-mi"
        _cue(
            rf"\b(?:played|portrayed|voiced)\s+(?:[a-z]+\s+){{0,2}}by\s+{_FILLER}(?P<l>{NAME})",
            ("played", "portrayed", "voiced"),
            "cast",
        ),
        # "who played Moon Dong-eun", "his portrayal of Ray Charles"
        _cue(
            rf"\b(?:who\s+(?:plays|played|portrays|portrayed|voices|voiced)|portrayal\s+of|plays\s+the\s+role\s+of)\s+(?:the\s+(?:[a-z-]+\s+){{1,2}})?(?P<c>{NAME})",
            word_list("who portrayal plays"),
            None,
        ),
        # "Song Kang-ho to lead Kim Jee-woon's next thriller", "Gong Yoo will join"
        _cue(
            rf"(?P<l>{_LIST})\s+(?:to|will)\s+(?:lead|headline|front|join|star\s+in|star\s+opposite|star\s+alongside)\b",
            word_list("lead headline front join star"),
            "cast",
            before=120,
            after=24,
            gate=r"[A-ZÀ-ÖØ-Þ][^\s]*\s+(?:to|will)\s+\S$",
        ),
        # "Jeon Jong-seo is ferocious as Ok-ju", "Choi Dae-hyun is very funny as the
        # nervous dishwasher"
        _cue(
            rf"(?P<l>{NAME})\s+(?:is|was|looks|seems)\s+(?:[a-z]+\s+){{1,3}}as\s+(?:(?:the|a|an)\s|(?P<c>{NAME}))",
            ("as",),
            "cast",
            before=90,
            after=40,
        ),
        # "Jun Jong-seo, who plays", "Mikey Madison plays the title character"
        _cue(
            rf"(?P<l>{NAME})(?:,\s+who)?\s+(?:plays|played|portrays|portrayed|stars|starred)\s+(?:the|a|an|his|her|in)\s",
            word_list("plays played portrays portrayed stars starred"),
            "cast",
            before=80,
            after=24,
        ),
        # "the character of Ok-joo", "the role of Min-hee"
        _cue(
            rf"\b(?:character|role|characters)\s+(?:of\s+|named\s+|called\s+)?(?P<c>{NAME})",
            word_list("character role characters"),
            None,
        ),
    ]
)

_LIST_SPLIT = re.compile(r",\s(?:and\s|&\s)?|\s(?:and|&)\s")


# Hyphenated adjectives before a name; Korean given names (Jong-seo) end otherwise.
_ADJECTIVE_ENDINGS = ("-born", "-based", "-raised", "-winning", "-nominated", "-bound", "-backed")


def _clean_name(name: str, role: str | None) -> str:
    """The name without honorifics (kept for characters: "Mrs Park") or stray words."""
    name = name.strip()
    if role != "character":
        name = _TITLE_PREFIX.sub("", name)
    words = name.split()
    honorific = role == "character" and bool(_TITLE_PREFIX.match(name))
    while len(words) > 1 and words[-1].casefold().strip(".") in NOT_NAMES:
        if words[-1] == "In" and len(words) >= 3:
            break  # "Hong Hae In": a Korean given name written in three words
        words.pop()
    while words and not honorific and words[0].casefold().strip(".") in NOT_NAMES:
        words.pop(0)
    while len(words) > 1 and words[0].endswith(_ADJECTIVE_ENDINGS):
        words.pop(0)  # "Dutch-born Anton Corbijn", "Oscar-winning Parasite"
    return " ".join(words)


def _acceptable(name: str, role: str | None) -> bool:
    """A plausible name: two words, or one hyphenated (Ok-joo) word for a character."""
    if not name or len(name) > 60 or name.endswith("."):
        return False
    words = name.split()
    if len(words) >= 2:
        return True
    if _HANGUL_ONLY.fullmatch(name):
        return True  # "전종서": a Korean name is one word in Hangul
    return role in ("character", "music") and ("-" in name or len(name) >= 3)


_HANGUL_ONLY = re.compile(_HANGUL_NAME)


class _People:
    def __init__(self) -> None:
        self.found: dict[str, Person] = {}

    def add(self, name: str, role: str | None) -> None:
        name = _clean_name(name, role)
        if not _acceptable(name, role) or len(self.found) >= MAX_PEOPLE:
            return
        key = name.casefold()
        if key not in self.found or self.found[key].role is None:
            self.found[key] = Person(name=name, role=role)


_CAST_CONTEXT_BEFORE = re.compile(r"(?:\bwith|\bstarring|\bstars|\bfeaturing|\band|,)\s*$")
_CAST_CONTEXT_AFTER = re.compile(r"^(?:,|\s+and\s+[A-Z])")


def _bare_as_doubtful(match: re.Match[str]) -> bool:
    """After a bare "as", a one-word capital is as often a place or a thing as a
    character ("X as Brazil"), unless the sentence is a cast list ("with Pedro Pascal
    as Joel and Bella Ramsey as Ellie"). Two-word or hyphenated names are characters."""
    character = match.group("c") or ""
    if " " in character.strip() or "-" in character:
        return False
    text = match.string
    before = text[max(0, match.start() - 12) : match.start()]
    after = text[match.end() : match.end() + 8]
    return not (_CAST_CONTEXT_BEFORE.search(before) or _CAST_CONTEXT_AFTER.match(after))


def find_people(
    headline: str,
    body: str = "",
    cue_matches: tuple[list[tuple[Cue, re.Match[str]]], ...] | None = None,
) -> list[Person]:
    """People named with a role, in order of first appearance, each written form once.

    ``cue_matches``: this module's cue matches in (headline, body), when the caller
    has scanned for them already (see :mod:`aggregator.parse.entities`).
    """
    people = _People()
    texts = (headline, body[:MAX_TEXT_CHARS])
    if cue_matches is None:
        cue_matches = tuple(CUES.matches(text) if text else [] for text in texts)
    for matches in cue_matches:
        hits: list[tuple[int, str, str | None]] = []
        for cue, match in matches:
            groups = match.groupdict()
            if groups.get("v") == "as" and _bare_as_doubtful(match):
                continue
            if groups.get("l"):
                for name in _LIST_SPLIT.split(groups["l"]):
                    hits.append((match.start("l"), name, cue.label or "cast"))
            if groups.get("u"):
                hits.append((match.start("u"), groups["u"], None))
            if groups.get("c"):
                actor = groups.get("l")
                if actor and not _acceptable(_clean_name(actor, "cast"), "cast"):
                    continue  # "Elton plays Paris": no actor, so no character either
                hits.append((match.start("c"), groups["c"], "character"))
        hits.sort(key=lambda hit: hit[0])
        for _, name, role in hits:
            people.add(name, role)
    return _without_surname_echoes(list(people.found.values()))


def _without_surname_echoes(people: list[Person]) -> list[Person]:
    """ "Cheadle" as a character after "Don Cheadle" is the actor's surname again."""
    tails = {
        " ".join(words[i:])
        for person in people
        if len(words := person.name.casefold().split()) > 1
        for i in range(1, len(words))
    }
    return [p for p in people if not (p.role == "character" and p.name.casefold() in tails)]
