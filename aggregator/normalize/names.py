"""Keys for work titles and people's names.

A key is what two spellings of one title or name have in common, so that the store
can index candidates by key and the matcher can compare keys instead of strings.

:func:`fold_name` is the romanization-aware folding used by matching and search.
Outlets romanize Korean and Japanese names in many ways (Jeon Jong-seo / Jun
Jong-seo / Jongseo Jeon, Ohtani Shohei / Shōhei Ōtani); the folding maps those
variants to one key. The language rules are applied only when the name's letters
can be read as syllables of that language, so English names keep their spelling
(a stock fuzzy scorer cannot tell "Jun" from "Jon" apart from "Dan" and "Don").
A key finds candidates; deciding that two people are the same is the matcher's job,
which weighs the context.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

from aggregator.normalize.text import fold_text, strip_accents

_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")

# --- Korean -----------------------------------------------------------------
# One romanized Korean syllable (Revised, McCune-Reischauer and the informal
# spellings outlets use): initial consonant(s), optional glide, vowel, optional final.
_KO_INITIAL = r"(?:kk|gg|tt|dd|pp|bb|ss|jj|ch|sh|ts|[kgndtrlmbpsjhwy])?"
_KO_GLIDE = r"(?:(?<=[kgndtrlmbpsjh])[wy])?"
_KO_VOWEL = r"(?:yeo|yae|wae|weo|eo|eu|ae|ai|oe|oi|ui|ee|oo|ou|wa|wo|we|wi|ya|ye|yo|yu|a|e|i|o|u)"
_KO_FINAL = r"(?:ng|[kgndtlmpb](?![aeiouwy]))?"
_KO_TOKEN = re.compile(rf"^(?:{_KO_INITIAL}{_KO_GLIDE}{_KO_VOWEL}{_KO_FINAL})+$")
# Spellings Japanese romanization never produces: a word with one of these that reads
# as Korean syllables is Korean.
_KO_ONLY = re.compile(r"eo|eu|ae|ee|oo|wo|ui|[klmpt](?![aeiouwy])|ng(?![aeiouwy])")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_KO_MAX_GIVEN_SYLLABLES = 3
_KO_SYLLABLE_MARK = re.compile(r"eo|eu|ae|oo|jj|kk|ng|yu|hy|ky|gy|wo|ui|j|ch")

# Romanizations of common family names, mapped to one spelling before folding.
_KO_SURNAMES: dict[str, str] = {}
for _canonical, _variants in {
    "lee": "lee yi rhee rhie ri i",
    "park": "park pak bak bahk",
    "choi": "choi choe chey",
    "jeon": "jeon jun chun jon",
    "jung": "jung jeong chung joung jong",
    "kim": "kim gim",
    "kang": "kang gang",
    "cho": "cho jo joe",
    "yoon": "yoon yun youn",
    "jang": "jang chang",
    "lim": "lim im yim",
    "han": "han",
    "oh": "oh o",
    "seo": "seo suh so",
    "shin": "shin sin",
    "kwon": "kwon gwon",
    "hwang": "hwang",
    "ahn": "ahn an",
    "song": "song",
    "yoo": "yoo yu you ryu",
    "hong": "hong",
    "ko": "ko go koh",
    "moon": "moon mun",
    "yang": "yang",
    "son": "son sohn",
    "bae": "bae bai pae",
    "baek": "baek paik paek baik",
    "heo": "heo huh hur",
    "nam": "nam",
    "noh": "noh roh no",
    "ha": "ha",
    "kwak": "kwak gwak",
    "sung": "sung seong",
    "cha": "cha",
    "joo": "joo ju chu",
    "woo": "woo wu",
    "min": "min",
    "ryu": "ryoo",
    "na": "na ra",
    "jin": "jin chin",
    "uhm": "uhm eom um",
    "chae": "chae",
    "won": "won",
    "bang": "bang",
    "gong": "gong kong",
    "hyun": "hyun hyeon",
    "ma": "ma",
    "byun": "byun byeon",
    "yeo": "yeo",
    "do": "do doh",
    "bong": "bong",
}.items():
    for _variant in _variants.split():
        _KO_SURNAMES.setdefault(_variant, _canonical)

# Letter-level folds, applied in this order to the joined syllables of a name that
# reads as Korean: vowel spellings first (so "eo" is not split by the "o" rules),
# then the consonant pairs that romanization systems disagree on.
_KO_FOLDS: tuple[tuple[str, str], ...] = (
    ("woo", "u"),
    ("wu", "u"),
    ("ai", "ae"),
    ("oi", "oe"),
    ("ee", "i"),
    ("eo", "o"),
    ("eu", "o"),
    ("oo", "o"),
    ("ou", "o"),
    ("u", "o"),
    ("ch", "j"),
    ("sh", "s"),
    ("k", "g"),
    ("t", "d"),
    ("p", "b"),
    ("r", "l"),
)
_DOUBLED = re.compile(r"([a-z])\1+")

# --- Japanese -----------------------------------------------------------------
_JA_SYLLABLE = (
    r"(?:(?:[kgsztdnhbpmr]y?|sh|ch|ts|j|f|w|y)?[aiueo](?:u|o|h(?![aiueoy]))?"
    r"|n(?![aiueoy])|[kstp](?=[kstp]))"
)
_JA_TOKEN = re.compile(rf"^(?:{_JA_SYLLABLE})+$")
_JA_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"oh(?![aiueoy])"), "o"),
    (re.compile(r"o[ou]"), "o"),
    (re.compile(r"uu"), "u"),
    (re.compile(r"shi"), "si"),
    (re.compile(r"tsu"), "tu"),
    (re.compile(r"chi"), "ti"),
)
# --- Chinese (pinyin) -------------------------------------------------------------
# Common family names, and the syllables pinyin writes a given name with. A Chinese
# name is written family name first at home and given name first in much English
# coverage ("Zhao Lusi", "Lusi Zhao").
_ZH_SURNAMES = frozenset(
    """zhao qian sun li zhou wu zheng wang feng chen chu wei jiang shen han yang zhu qin
    xu he lu zhang kong cao yan hua jin tao xie zou yu bai shi su pan fan peng lang
    ma fang ren yuan liu tang luo hao xue lei gu meng ping huang mu xiao yin yao shao
    qi mao di mi bei ming zang ji cheng dai song pang xiong guo lin zhong qiu gao
    tian hu ling huo wan ke lan min xi ye liang du ruan deng hong cui mo cai
    ding xia kang qu yi liao gong zeng ou duan lai tan tong fu bao jia geng zhan ouyang
    situ shangguan zhuge dong""".split()  # noqa: SIM905 (a word list, as written)
)
_ZH_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu"
    r"|ua|uo|ui|ue|er|a|o|e|i|u|v)"
)
_ZH_TOKEN = re.compile(rf"^(?:{_ZH_SYLLABLE}){{1,3}}$")
# A Japanese reading needs a little length: "Jon" or "Tom" prove nothing.
_JA_MIN_LETTERS = 4

_LONG_VOWEL_MARKS = str.maketrans(
    {"ō": "ou", "Ō": "Ou", "ū": "uu", "Ū": "Uu", "ô": "ou", "Ô": "Ou"}
)


def _words(text: str) -> list[str]:
    return text.split()


# --- Hangul -------------------------------------------------------------------
# Revised Romanization of one Hangul syllable block, so that a name written in
# Hangul meets its romanized spellings under the same key.
_HANGUL_INITIALS = _words("g kk n d tt r m b pp s ss - j jj ch k t p h")
_HANGUL_VOWELS = _words("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_HANGUL_FINALS = ["", *_words("k k k n n n t l k m l l l p l m p p t t ng t t k t p t")]
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")


def _romanize_hangul(text: str) -> str:
    out: list[str] = []
    tail = ""  # the previous block's final consonant
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            initial, rest = divmod(code, 588)
            vowel, final = divmod(rest, 28)
            lead = _HANGUL_INITIALS[initial]
            if lead == "r" and tail == "l":
                lead = "l"  # ㄹ before ㄹ is written "ll": 발레리나 -> ballerina
            tail = _HANGUL_FINALS[final]
            out.append(("" if lead == "-" else lead) + _HANGUL_VOWELS[vowel] + tail)
        else:
            tail = ""
            out.append(ch)
    return "".join(out)


def romanized_title(title: str) -> str | None:
    """A Hangul title as Revised Romanization writes it ('발레리나' -> 'ballerina',
    '기생충' -> 'gisaengchung'), None when it has no Hangul.

    Korean outlets title a film in Hangul where others use its romanized title
    (Gisaengchung) or a loanword spelled out in Hangul (Ballerina); both then meet.
    """
    title = unicodedata.normalize("NFC", title)  # decomposed jamo become syllables
    if not _HANGUL_SYLLABLE.search(title):
        return None
    return _romanize_hangul(title)


def _is_hangul(token: str) -> bool:
    return bool(token) and all(0xAC00 <= ord(ch) <= 0xD7A3 for ch in token)


def title_key(title: str) -> str:
    """'The Ballerina!' and 'ballerina' -> 'ballerina'. Empty when nothing is left."""
    folded = fold_text(title)
    folded = _LEADING_ARTICLE.sub("", folded)
    return folded.replace(" ", "")


def _tokens(name: str) -> list[list[str]]:
    """Name tokens split on spaces; each a list of its hyphen-separated parts."""
    name = unicodedata.normalize("NFKC", name).translate(_LONG_VOWEL_MARKS)
    name = strip_accents(name).casefold()
    name = re.sub(r"[‐‑‒–—―'’`´.]", lambda m: "-" if m.group() in "‐‑‒–—―" else "", name)
    words = re.split(r"[^\w-]+|_", name)
    return [[p for p in w.split("-") if p] for w in words if w.strip("-")]


def _is_surname(token: list[str]) -> bool:
    return len(token) == 1 and token[0] in _KO_SURNAMES


def _looks_given(token: list[str]) -> bool:
    """A Korean given name: hyphenated syllables, or two syllables written together."""
    return len(token) > 1 or len(token[0]) >= 4


def _reads_korean(tokens: list[list[str]]) -> bool:
    """Every part reads as Korean syllables, and something besides that says Korean."""
    surname_at = {
        i for i in (0, len(tokens) - 1) if len(tokens) > 1 and tokens[i] and _is_surname(tokens[i])
    }
    parts = [p for i, t in enumerate(tokens) if i not in surname_at for p in t]
    if not parts or not all(_KO_TOKEN.match(p) for p in parts):
        return False
    if surname_at:
        return True
    if any(len(t) > 1 for t in tokens):  # a hyphenated given name: Jong-seo, Ok-joo
        # ... unless the hyphen only splits a long vowel, as in Japanese "Kore-eda".
        return not any(a[-1] == b[0] and a[-1] in "aeiou" for t in tokens for a, b in pairwise(t))
    if len(tokens) == 1:
        word = tokens[0][0]
        if len(_VOWEL_GROUPS.findall(word)) > _KO_MAX_GIVEN_SYLLABLES:
            return False  # a given name written as one word has two or three syllables
        if _KO_ONLY.search(word):
            return 4 <= len(word) <= 9
        return (
            not _reads_japanese(tokens)
            and 4 <= len(word) <= 9
            and bool(_KO_SYLLABLE_MARK.search(word))
        )
    return False


def _reads_japanese(tokens: list[list[str]]) -> bool:
    parts = [p for t in tokens for p in t]
    return (
        bool(parts)
        and all(_JA_TOKEN.match(p) for p in parts)
        and sum(len(p) for p in parts) >= _JA_MIN_LETTERS * len(parts)
    )


def _fold_korean(text: str) -> str:
    for old, new in _KO_FOLDS:
        text = text.replace(old, new)
    return _DOUBLED.sub(r"\1", text)


def _korean_key(tokens: list[list[str]]) -> str:
    """Family name first, then the given name's syllables joined, all folded."""
    if len(tokens) > 1:
        if (
            _is_surname(tokens[-1])
            and _looks_given(tokens[0])
            and not (
                _is_surname(tokens[0])
                and not _looks_given(tokens[-1])
                and len(tokens[0][0]) > 2
                and not _looks_given(tokens[0])
            )
        ):
            tokens = [tokens[-1], *tokens[:-1]]  # surname-last order: "Jong-seo Jeon"
        if _is_surname(tokens[0]):
            given = "".join(p for t in tokens[1:] for p in t)
            return _fold_korean(_KO_SURNAMES[tokens[0][0]]) + _fold_korean(given)
    return _fold_korean("".join(p for t in tokens for p in t))


def _reads_chinese(tokens: list[list[str]]) -> bool:
    """Two words of pinyin, one of them a Chinese family name ("Lusi Zhao")."""
    if len(tokens) != 2:
        return False
    words = ["".join(token) for token in tokens]
    return any(w in _ZH_SURNAMES for w in words) and all(_ZH_TOKEN.match(w) for w in words)


def _chinese_key(tokens: list[list[str]]) -> str:
    """Family name first, whichever order the name was written in."""
    first, second = ("".join(token) for token in tokens)
    if second in _ZH_SURNAMES and first not in _ZH_SURNAMES:
        first, second = second, first
    elif first in _ZH_SURNAMES and second in _ZH_SURNAMES:
        first, second = sorted((first, second))  # "Yang Mi": either could be first
    return first + second


def _japanese_words(tokens: list[list[str]]) -> list[str]:
    """Each token joined, its long vowels and syllable spellings folded."""
    words = []
    for token in tokens:
        word = "".join(token)
        for pattern, new in _JA_FOLDS:
            word = pattern.sub(new, word)
        words.append(word)
    return words


def _japanese_key(tokens: list[list[str]]) -> str:
    # Japanese names appear in both orders ("Ohtani Shohei", "Shohei Ohtani").
    return "".join(sorted(_japanese_words(tokens)))


def japanese_title(title: str) -> str | None:
    """A title that reads as romanized Japanese, its long vowels folded as in names
    ('Shōgun', 'Shougun', 'Shogun' -> 'shogun'); None for any other title.

    Outlets write a Japanese title's long vowels every way (a macron, 'ou', 'oh' or
    nothing); the matcher adds this as an alias of the release, so they meet.
    """
    tokens = _tokens(title)
    if not tokens or not _reads_japanese(tokens):
        return None
    return " ".join(_japanese_words(tokens))


# A title's installment, kept as written when the title's words are folded.
_TITLE_INSTALLMENT = re.compile(r"\s+(?:(?:season|series|part)\s+)?(?:\d{1,2}|ii|iii|iv|v|vi)$")
_KO_TITLE_MIN_SYLLABLES = 2
_KO_TITLE_MARK = re.compile(r"eo|eu|ae")


def _reads_korean_title(tokens: list[list[str]]) -> bool:
    """Every part reads as Korean syllables, at least two of them, and the spelling
    says Korean outright: a vowel written "eo", "eu" or "ae", or syllables joined by
    hyphens ('Jeong-nyeon'). The looser cues names use (a final "ng", "l", "t") fit
    English words too: 'Rolling' and 'Luring' would fold alike."""
    parts = [p for t in tokens for p in t]
    if not parts or not all(p.isascii() and _KO_TOKEN.match(p) for p in parts):
        return False
    if sum(len(_VOWEL_GROUPS.findall(p)) for p in parts) < _KO_TITLE_MIN_SYLLABLES:
        return False
    hyphenated = any(len(t) > 1 for t in tokens)
    return (hyphenated or any(_KO_TITLE_MARK.search(p) for p in parts)) and not _reads_japanese(
        tokens
    )


def korean_title(title: str) -> str | None:
    """A title that reads as romanized Korean, each word folded as names are
    ('Jeong-nyeon', 'Jeongnyeon', 'Jungnyeon' -> 'jongnyon'); None for any other.

    Outlets romanize a Korean title as they romanize names, each its own way; the
    matcher adds this as an alias of the release, so the spellings meet. Only the
    part before a colon is read (an English subtitle is kept as written:
    'Jungnyeon: The Star Is Born'), and an installment stays as it is. Whether two
    releases under one folded title are the same is still the matcher's call: it
    weighs their people and years as for any shared title.
    """
    main, colon, subtitle = title.partition(":")
    tokens = _tokens(main)
    installment = _TITLE_INSTALLMENT.search(fold_text(main))
    suffix = installment.group() if installment else ""
    if suffix:
        tokens = tokens[: len(tokens) - len(suffix.split())]
    if not tokens or not _reads_korean_title(tokens):
        return None
    folded = " ".join(_fold_korean("".join(token)) for token in tokens) + suffix
    rest = fold_text(subtitle) if colon else ""
    return f"{folded} {rest}" if rest else folded


@lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """A spelling-insensitive key for a name or a single name token.

    'Ok-joo', 'Ok-ju', 'Okju' -> one key; 'Jeon Jong-seo', 'Jun Jong-seo' and
    'Jongseo Jeon' -> one key; 'Shōhei Ōtani' and 'Ohtani Shohei' -> one key;
    'Zhao Lusi', 'Lusi Zhao' and 'Zhao Lu-si' -> one key.
    Names that do not read as Korean or Japanese are only lower-cased, stripped of
    accents, punctuation and spaces. Hangul is romanized first; other scripts (kanji)
    are kept as written. Empty when the name has no letters or digits.
    """
    name = unicodedata.normalize("NFC", name)
    if _HANGUL_SYLLABLE.search(name):
        words = name.split()
        if len(words) == 1 and 2 <= len(words[0]) <= 4 and _is_hangul(words[0]):
            # A Hangul name is written family name first, without a space.
            name = f"{_romanize_hangul(words[0][0])} {_romanize_hangul(words[0][1:])}"
        else:
            name = _romanize_hangul(name)
    tokens = _tokens(name)
    if not tokens:
        return ""
    if not all(p.isascii() for t in tokens for p in t):
        return "".join(p for t in tokens for p in t)
    if _reads_korean(tokens):
        return _korean_key(tokens)
    if _reads_chinese(tokens):
        return _chinese_key(tokens)
    if _reads_japanese(tokens):
        return _japanese_key(tokens)
    return "".join(p for t in tokens for p in t)


# Words that are a Korean syllable in form but far more often English in a headline
# ("Everything You Need To Know", "Song To Song", "Hong Kong Pop Star").
_KO_SPLIT_NOT_GIVEN = frozenset(_words("do go me we on no so a an in oh to up see him kong pop"))


def korean_names_in(words: list[str]) -> list[tuple[int, int]]:
    """Spans of Korean names written as three capitalized words inside a longer run.

    A Title Case headline runs a name into the words after it ("Lee Jung Jae
    Returns To The Games"), so the run is no name at all. A family name followed by
    two one-syllable given-name words ("Lee Jung Jae", "Park Gyu Young") is the way
    entertainment outlets write Korean names in such headlines, and that pattern
    is taken out of the run. What headline English fits the pattern is not read this
    way: one-letter family names ("I Am Sam"), given-name words that are common
    English ("So Do We", "You Need To"), words ending in "t" or "d", which no
    romanized given-name syllable does ("Moon Set To", "Park To Get"), and one word
    three times ("Bang Bang Bang").
    """
    spans: list[tuple[int, int]] = []
    index = 0
    while index + 3 <= len(words):
        family, *given = (w.casefold() for w in words[index : index + 3])
        if (
            len(family) > 1
            and family in _KO_SURNAMES
            and not family == given[0] == given[1]
            and all(
                word not in _KO_SPLIT_NOT_GIVEN
                and word[-1] not in "td"
                and len(_VOWEL_GROUPS.findall(word)) == 1
                and _KO_TOKEN.match(word)
                for word in given
            )
        ):
            spans.append((index, index + 3))
            index += 3
        else:
            index += 1
    return spans


def name_key(name: str) -> str:
    """The index key of a person's name (see :func:`fold_name`)."""
    return fold_name(name)
