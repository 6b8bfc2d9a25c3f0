"""Which story does an article join? The release matcher.

An editor groups two write-ups when they are about one release: the same work
(title folded, installments and aliases understood) and nothing that says otherwise
(other people, a distant year). Without a title, the names they share must be
numerous and rare enough to carry it. This module weighs exactly that, for an
article against candidate stories the store found through its indexes, and returns
a :class:`Decision` with every signal it used. Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from aggregator.match.features import ArticleFeatures, release_of
from aggregator.match.settings import MatchSettings
from aggregator.models import Decision, StoryCandidate

EVIDENCE_KINDS = ("person", "name", "word")
PEOPLE_KINDS = ("person", "name")
# How a story's titles relate to the article's primary work, best first.
RELATIONS = ("same-work", "same-base", "related-work", "no-work", "other-work")
# Relations decided like title-less ones: by shared names and similar text.
TEXT_RELATIONS = ("related-work", "no-work", "other-work")


@dataclass
class Assessment:
    """One candidate story weighed against the article."""

    candidate: StoryCandidate
    relation: str
    evidence: float = 0.0
    threshold: float = 0.0
    shared: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    cosine: float = 0.0  # TF-IDF cosine of the article and the story's centroid
    min_cosine: float = 0.0
    # The "no shared people" conflict, kept apart: decide() may find the article's
    # people explained by another work it names (see _explained_people).
    people_conflict: str | None = None
    unquoted_title: bool = False  # the relation rests on headline_titles

    @property
    def eligible(self) -> bool:
        return (
            not self.conflicts
            and self.evidence >= self.threshold
            and self.cosine >= self.min_cosine
        )

    def rank(self) -> tuple[int, float, int]:
        # Without a shared title, the closest text wins, not the most shared names:
        # a look-alike event shares names with a story too (the same club, the same
        # island), but the story about this event reads most like this article.
        # A title the headline gives without quotes ranks as no title: it may be a
        # name that only looks like one (see _relation).
        unquoted = self.relation == "same-base" and self.unquoted_title
        relation = "no-work" if unquoted else self.relation
        strength = self.cosine if relation in TEXT_RELATIONS else self.evidence
        return (-RELATIONS.index(relation), strength, self.candidate.story_id)


def rarity(df: int, total: int, settings: MatchSettings) -> float:
    """How much a shared key says: 1 for rare keys, towards 0 for keys most articles have."""
    k = settings.rarity_k
    value = math.log((total + k) / (df + 1)) / math.log(k)
    return max(0.0, min(1.0, value))


def kind_weights(settings: MatchSettings) -> dict[str, float]:
    return {
        "person": settings.weight_person,
        "name": settings.weight_name,
        "word": settings.weight_word,
    }


def _mass(
    features: ArticleFeatures,
    kind: str,
    key: str,
    df: Mapping[tuple[str, str], int],
    total: int,
    settings: MatchSettings,
) -> float:
    """What one key says about the article: kind weight x salience x rarity."""
    weight = kind_weights(settings)[kind]
    salience = features.salience.get((kind, key), 0.3)
    return weight * salience * rarity(df.get((kind, key), 0), total, settings)


def _is_own_title(features: ArticleFeatures, story_works: frozenset[str]) -> bool:
    """Does the story carry the article's release (or one of its aliases) as its own?"""
    release = features.release
    return release is not None and bool({release.key, *features.aliases} & story_works)


def _names_the_other(
    features: ArticleFeatures,
    story_works: frozenset[str],
    story_named: frozenset[str],
    story_title: str = "",
) -> bool:
    """Does either side name the other's work in passing ("Gary Ross to direct
    'Catching Fire', the 'Hunger Games' sequel"), or by its subtitle alone
    ('Punishment' for 'The Roundup: Punishment')? A sequel, a franchise, an event's
    other name, a short title: the titles differ, but neither joins nor rules out."""
    release = features.release
    if release is None:
        return False
    own = {release.key, *features.aliases}
    return bool(
        features.named_works & story_works
        or own & story_named
        or own & _subtitle_keys(story_title)
        or _subtitle_keys(release.title) & story_works
    )


def _subtitle_keys(title: str) -> frozenset[str]:
    """The release key of what follows a title's colon ("The Roundup: Punishment")."""
    _, colon, rest = title.partition(":")
    subtitle = release_of(rest) if colon and rest.strip() else None
    return frozenset({subtitle.key}) if subtitle is not None else frozenset()


def _one_side_titled(
    features: ArticleFeatures, candidate: StoryCandidate, shared_people: int
) -> bool:
    """For a "no-work" pair: does only one side name a release? An article with a
    release and a story that never carried or named it, or an untitled article that
    shares at most one person or name with a titled story."""
    if features.release is not None:
        return not _names_the_other(features, candidate.work_keys, candidate.named_works)
    return bool(candidate.work_keys) and shared_people <= 1


def _relation(features: ArticleFeatures, candidate: StoryCandidate) -> tuple[str, list[str]]:
    release = features.release
    if release is None and candidate.work_keys and features.headline_titles & candidate.base_keys:
        # The headline names the story's title without quotes. It may be a phrase
        # that only looks like a title: assess() asks what two untitled reports need.
        return "same-base", []
    if release is None or not candidate.work_keys:
        return "no-work", []
    if _is_own_title(features, candidate.work_keys):
        return "same-work", []
    if release.base in candidate.base_keys:
        same_base = {k for k in candidate.work_keys if k.split("#")[0] == release.base}
        numbered = {k for k in same_base if "#" in k}
        if release.installment and release.installment > 1 and numbered and same_base == numbered:
            return "other-work", [f"different installment ({release.key} vs {sorted(numbered)[0]})"]
        return "same-base", []
    if _names_the_other(features, candidate.work_keys, candidate.named_works, candidate.title):
        return "related-work", []
    return "other-work", []


def needs_text(
    features: ArticleFeatures,
    story_works: frozenset[str],
    story_bases: frozenset[str] = frozenset(),
    story_named: frozenset[str] = frozenset(),
    shared_names: int = 0,
    *,
    min_names: int,
) -> bool:
    """Does the decision about a story depend on text similarity (worth reading the
    story's whole term overlap for)?

    Not when the story names the article's release: the title decides. For another
    title (see ``_relation``) only when the names shared so far could reach
    ``min_names``, the other condition such a match needs.
    """
    release = features.release
    if release is None or not story_works:
        return True
    if _is_own_title(features, story_works):
        return False
    if release.base in story_bases or _names_the_other(features, story_works, story_named):
        return True
    return shared_names >= min_names


def _years_apart(
    dated: frozenset[int],
    mentioned: frozenset[int],
    other_dated: frozenset[int],
    other_mentioned: frozenset[int],
    limit: int,
) -> tuple[frozenset[int], frozenset[int]] | None:
    """The two year sets that say two texts are about different events, if any.

    A side's own years (its date, its release's year) are compared with the other
    side's own years and with the years it mentions. Two sides that only mention
    years are never ruled apart by them: an undated report names earlier years for
    all kinds of reasons (a film from 1999, a previous season). On ECB+, ruling
    those apart too (at a gap of 2, 3, 4 or 6 years) lost recall for no precision:
    pairwise F1 0.820-0.828 against 0.845.
    """
    for ours, theirs in ((dated, other_dated), (dated, other_mentioned), (mentioned, other_dated)):
        if ours and theirs and min(abs(a - b) for a in ours for b in theirs) >= limit:
            return ours, theirs
    return None


def _year_conflict(features: ArticleFeatures, candidate: StoryCandidate, limit: int) -> str | None:
    apart = _years_apart(
        features.years, features.mentioned_years, candidate.years, candidate.mentioned_years, limit
    )
    if apart is None:
        return None
    return f"years {sorted(apart[0])} vs {sorted(apart[1])}"


def _ordinal_conflict(ours: frozenset[str], theirs: frozenset[str]) -> str | None:
    """Both number the same noun, and never alike: the 81st vs the 86th ceremony.

    A story collects the ordinals of all its articles, so one that already mixes
    editions conflicts with neither; an article numbering a noun the story never
    numbered says nothing either.
    """
    if not ours or not theirs:
        return None
    numbered: dict[str, tuple[set[str], set[str]]] = {}
    for side, keys in enumerate((ours, theirs)):
        for key in keys:
            noun, _, number = key.rpartition("#")
            numbered.setdefault(noun, (set(), set()))[side].add(number)
    for noun, (mine, other) in sorted(numbered.items()):
        if mine and other and not mine & other:
            return f"{noun} {'/'.join(sorted(mine))} vs {'/'.join(sorted(other))}"
    return None


def assess(
    features: ArticleFeatures,
    candidate: StoryCandidate,
    df: Mapping[tuple[str, str], int],
    total: int,
    settings: MatchSettings,
) -> Assessment:
    relation, conflicts = _relation(features, candidate)
    assessment = Assessment(candidate=candidate, relation=relation, conflicts=conflicts)
    weights = kind_weights(settings)
    size = max(1, candidate.size)
    evidence = 0.0
    dot = 0.0
    for kind, key, count, weight in candidate.shared:
        if kind == "term":
            dot += weight * features.term_vector.get(key, 0.0)
            continue
        if kind not in weights:
            continue
        # A name only one article of a big story mentions says less about the story.
        coverage = min(1.0, count / max(1.0, size / 3))
        evidence += _mass(features, kind, key, df, total, settings) * coverage
        assessment.shared.setdefault(kind, []).append(key)
    if candidate.term_norm > 0:
        assessment.cosine = round(dot / candidate.term_norm, 3)
    if candidate.text_similarity > 0:
        assessment.shared["text"] = [f"{candidate.text_similarity:.2f}"]
        evidence += candidate.text_similarity * settings.weight_name * 2
    assessment.evidence = round(evidence, 3)
    assessment.threshold = {
        "same-work": settings.join_same_work,
        "same-base": settings.join_same_base,
        "no-work": settings.join_no_work,
        "related-work": settings.join_no_work,
        "other-work": settings.join_no_work,
    }[relation]
    if relation == "other-work":
        # Two titles that differ are two releases, unless the texts read alike:
        # a title found in plain text can be a scare quote ('Riot', "A Powder Keg").
        assessment.min_cosine = settings.join_other_work_cosine
    elif relation in TEXT_RELATIONS:
        assessment.min_cosine = settings.join_no_work_cosine
    elif relation == "same-base" and features.release is None:
        assessment.unquoted_title = True
        # A title the headline gives without quotes may be a phrase that only looks
        # like one: a name and text as close as two untitled reports need.
        assessment.threshold = settings.join_no_work
        assessment.min_cosine = settings.join_no_work_cosine
        titles = sorted(features.headline_titles & candidate.base_keys)
        if titles:
            # The title counts as what it is, a word of the headline: with no name
            # shared, an untitled box-office report still has this much in common
            # with the story ("Moana 2 Sails To Record $225 Million Thanksgiving Debut").
            # Not more: a headline's title may be a person's name ("Priscilla Presley
            # Settles ...") or the start of another title, so the text bar stands.
            assessment.shared["title"] = titles
            assessment.evidence = round(
                assessment.evidence
                + max(
                    settings.weight_word * rarity(df.get(("term", key), 0), total, settings)
                    for key in titles
                ),
                3,
            )
    elif relation == "same-base" and assessment.evidence < settings.join_same_base:
        # A season-less mention of a numbered release: the text must agree instead.
        assessment.threshold = 0.0
        assessment.min_cosine = settings.join_same_base_cosine
    gap = settings.event_year_gap if relation in TEXT_RELATIONS else settings.year_conflict_gap
    year = _year_conflict(features, candidate, gap)
    if year:
        assessment.conflicts.append(year)
    ordinal = (
        _ordinal_conflict(features.ordinals, candidate.ordinals)
        if relation in settings.ordinal_conflict_relations
        else None
    )
    if ordinal:
        assessment.conflicts.append(f"numbered differently ({ordinal})")
    # A person the parser found is often also a capitalized name: one key, counted once.
    shared_people = len({key for kind in PEOPLE_KINDS for key in assessment.shared.get(kind, [])})
    if relation == "no-work" and _one_side_titled(features, candidate, shared_people):
        # One side names a release and the other never did. The names they share
        # can be incidental: a bookmaker quoted on a reality show and on the next
        # Bond film, or one singer named in a box-office report and in a poll of
        # funeral songs. So the texts must read more alike than two untitled
        # reports need; for an untitled article, only when it shares at most one.
        assessment.min_cosine = max(assessment.min_cosine, settings.join_one_titled_cosine)
    if relation != "no-work":
        article_people = len(features.person_keys | features.name_keys)
        if (
            shared_people == 0
            and article_people >= settings.people_conflict_min
            and candidate.n_people >= settings.people_conflict_min
        ):
            assessment.people_conflict = (
                f"no shared people ({article_people} named here, {candidate.n_people} in story)"
            )
            assessment.conflicts.append(assessment.people_conflict)
    if relation in ("related-work", "other-work") and shared_people < settings.other_work_min_names:
        assessment.conflicts.append(f"another title, and only {shared_people} shared name(s)")
    return assessment


def _compatible(
    a: StoryCandidate, b: StoryCandidate, relation: str, settings: MatchSettings
) -> bool:
    """May two stories be merged? Their titles and years must not disagree.

    Two stories that both match the article's release by title are compatible even
    when they knew different titles: the article shows those are one work's aliases.
    """
    if _blocked(a, b):
        return False
    if relation != "same-work" and a.work_keys and b.work_keys and not a.work_keys & b.work_keys:
        return False
    if _ordinal_conflict(a.ordinals, b.ordinals):
        return False
    apart = _years_apart(
        a.years,
        a.mentioned_years,
        b.years,
        b.mentioned_years,
        settings.year_conflict_gap,
    )
    return apart is None


def _blocked(a: StoryCandidate, b: StoryCandidate) -> bool:
    """Did a person keep these two stories apart (moved articles out, split them)?"""
    return a.story_id in b.blocked_story_ids or b.story_id in a.blocked_story_ids


_REASONS = {
    "same-work": "same-release",
    "same-base": "same-title-people-agree",
    "no-work": "shared-names",
    "related-work": "related-title-names-agree",
    "other-work": "other-title-text-agrees",
}
_LOOSE_TITLE_REASONS = frozenset({_REASONS["related-work"], _REASONS["other-work"]})


def _explained_people(
    features: ArticleFeatures, assessments: list[Assessment], settings: MatchSettings
) -> None:
    """Lift the "no shared people" conflict of stories with the article's own title
    when its people belong to another work it names.

    A box-office report on 'Inside Out 2' "ahead of 'Bad Boys: Ride or Die'" names
    Will Smith and Martin Lawrence, none of the Inside Out 2 story's people: that is
    the other film's cast, and the story of that film, a candidate too, shares them.
    A report on the other 'Ballerina' names John Wick's cast too, but also its own
    lead, whom no such story accounts for: its conflict stands.
    """
    if not features.named_works:
        return
    explainers: list[int] = []
    explained: set[str] = set()
    for a in assessments:
        shared = {key for kind in PEOPLE_KINDS for key in a.shared.get(kind, [])}
        if a.candidate.work_keys & features.named_works and shared:
            explainers.append(a.candidate.story_id)
            explained |= shared
    # The titles it names, read as capitalized names too, are no people.
    unexplained = {
        key
        for key in (features.person_keys | features.name_keys) - explained
        if not any(work.startswith(key) for work in features.named_works)
    }
    if not explainers or len(unexplained) >= settings.people_conflict_min:
        return
    for assessment in assessments:
        if assessment.people_conflict and assessment.relation == "same-work":
            assessment.conflicts.remove(assessment.people_conflict)
            assessment.people_conflict = None
            assessment.shared["people_of"] = [str(s) for s in sorted(explainers)]


def decide(
    features: ArticleFeatures,
    candidates: list[StoryCandidate],
    df: Mapping[tuple[str, str], int],
    total: int,
    settings: MatchSettings,
    article_id: int | None = None,
) -> Decision:
    """The story an article joins (None: a new one), with the signals behind it."""
    if not features.has_evidence:
        return Decision(
            story_id=None,
            reason="new-story",
            signals={"why": "no title, names or text to match on"},
        )
    assessments = [
        assess(features, c, df, total, settings)
        for c in candidates
        if article_id is None or article_id not in c.blocked_article_ids
    ]
    _explained_people(features, assessments, settings)
    eligible = sorted((a for a in assessments if a.eligible), key=Assessment.rank, reverse=True)
    base_signals: dict[str, object] = {}
    if features.release is not None:
        base_signals["work"] = features.release.title
        base_signals["work_key"] = features.release.key
    if not eligible:
        rejected = sorted(assessments, key=Assessment.rank, reverse=True)[:3]
        return Decision(
            story_id=None,
            reason="new-story",
            signals={
                **base_signals,
                "why": "no candidate story is about this release" if rejected else "no candidates",
                "rejected": [_summary(a) for a in rejected],
            },
        )
    best = eligible[0]
    ambiguous, closest = _title_alone_among(eligible, settings)
    if closest is not None:
        best = closest
        eligible = [best, *(a for a in eligible if a is not best)]
    if ambiguous:
        return Decision(
            story_id=None,
            reason="new-story",
            signals={
                **base_signals,
                "why": f"{len(ambiguous)} stories have this title and nothing else here "
                "(no shared names, no similar text) tells which one it is",
                "rejected": [_summary(a) for a in ambiguous[:3]],
            },
        )
    bridged = [
        a
        for a in eligible[1:]
        if a.evidence >= settings.merge_min_evidence
        and (a.relation == "same-work" or a.cosine >= settings.merge_min_cosine)
        and a.relation == best.relation
    ]
    merges = tuple(
        a.candidate.story_id
        for a in bridged
        if _compatible(best.candidate, a.candidate, best.relation, settings)
    )
    # Stories this article would have merged but for a person's correction: shown by
    # --why, so the correction is seen to hold (and can be lifted with merge).
    kept_apart = [a.candidate.story_id for a in bridged if _blocked(best.candidate, a.candidate)]
    reason = _REASONS[best.relation]
    score = (
        min(1.0, 0.5 + best.evidence / 10)
        if best.relation != "same-work"
        else min(1.0, 0.8 + best.evidence / 20)
    )
    signals: dict[str, object] = {**base_signals, **_summary(best)}
    if len(eligible) > 1:
        signals["runner_up"] = _summary(eligible[1])
    if merges:
        signals["bridges"] = list(merges)
    if kept_apart:
        signals["kept_apart_by_correction"] = kept_apart
    return Decision(
        story_id=best.candidate.story_id,
        reason=reason,
        score=round(score, 3),
        signals=signals,
        merge_with=merges,
    )


def _title_alone_among(
    eligible: list[Assessment], settings: MatchSettings
) -> tuple[list[Assessment], Assessment | None]:
    """When several stories share the article's title, tell apart different releases,
    and nothing but the title ties the article to any of them: (those stories, None)
    if nothing tells which it is about, or ([], the story to join) if something
    does. ([], None) otherwise: the usual choice stands.

    Three films called 'Ballerina' are three stories (years apart, other casts). An
    article that names only the title, with no one in it and no text like any of
    theirs, could be about any of them: joining the newest would be a merge on
    empty evidence. Text close enough to join on picks that story; a story of such
    title-only articles, with no people of its own, takes it in; else it starts
    one. Stories of one title that nothing sets apart are one release split
    earlier (recaps of one season, coverage that arrived in another order): the
    article joins as before.
    """
    if eligible[0].relation != "same-work" or eligible[0].evidence > 0:
        return [], None
    same_title = [a for a in eligible if a.relation == "same-work"]
    if len(same_title) < 2 or any(a.evidence > 0 for a in same_title):
        return [], None
    releases = any(
        not _compatible(a.candidate, b.candidate, "same-work", settings)
        for i, a in enumerate(same_title)
        for b in same_title[i + 1 :]
    )
    if not releases:
        return [], None
    closest = max(same_title, key=lambda a: (a.cosine, a.candidate.story_id))
    if closest.cosine >= settings.join_no_work_cosine:
        return [], closest
    unpeopled = [a for a in same_title if a.candidate.n_people == 0]
    if unpeopled:
        return [], max(unpeopled, key=lambda a: a.candidate.story_id)
    return same_title, None


def member_keys(features: ArticleFeatures, reason: str) -> dict[str, set[str]]:
    """The keys an article adds to the profile of the story it joined for ``reason``.

    An article that joined under another title (a related or other work) adds its
    title as a work the story names, not as the story's own: otherwise the next
    article with that title would join as the same release on the title alone, and
    one loose join would pull a whole other release in after it.
    """
    keys = features.story_keys()
    if reason in _LOOSE_TITLE_REASONS:
        keys["named"] = keys.get("named", set()) | keys.pop("work", set())
        keys.pop("base", None)
    return keys


def _summary(a: Assessment) -> dict[str, object]:
    summary: dict[str, object] = {
        "story": a.candidate.story_id,
        "relation": a.relation,
        "evidence": a.evidence,
        "threshold": a.threshold,
        "cosine": a.cosine,
    }
    if a.min_cosine:
        summary["min_cosine"] = a.min_cosine
    for kind, keys in a.shared.items():
        summary[f"shared_{kind}"] = sorted(keys)[:8]
    if a.conflicts:
        summary["conflicts"] = a.conflicts
    return summary
