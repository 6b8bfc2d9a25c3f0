"""The matcher's thresholds and knobs, in one place.

Every number here was chosen on labelled data: our own fixtures in
tests/fixtures/grouping/ and the ECB+ document set (see bench/grouping.py, which
prints the figures each setting gives). Change one only after re-running it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchSettings:
    # --- text read for features -------------------------------------------------
    # Only the start of a body is read: a 1 MB body says what it is about early, and
    # reading all of it would make the cost per article depend on its length.
    max_feature_chars: int = 20_000
    max_name_keys: int = 15  # most frequent capitalized names kept per article
    max_word_keys: int = 15  # most frequent capitalized single words kept per article
    max_term_candidates: int = 40  # most frequent words whose rarity is looked up
    max_term_keys: int = 30  # highest TF-IDF words kept in an article's vector
    max_entity_terms: int = 10  # most mentioned names kept in the same vector ...
    entity_block_weight: float = 0.5  # ... as a block of this weight (words weigh 1)
    # Event details the article states (figures, ordinals, month and weekday names;
    # see features.figures and _DETAIL_WORDS), as a third block of the vector: the
    # most frequent candidates are counted, the rarest max_detail_terms kept. On
    # ECB+ weight 1.0 (with join_no_work_cosine 0.2) beat 0.5 and 1.5; 8 terms beat
    # 5 and 12. Offline ceiling 0.820 -> 0.868.
    max_detail_candidates: int = 12
    max_detail_terms: int = 8
    detail_block_weight: float = 1.0
    # An undated text's years are those it mentions (see features.mentioned_years):
    # ECB+ pairwise precision 0.83 -> 0.89, topics merged 15 -> 10. Only the latest
    # mentioned year was worse (recall 0.75 -> 0.70).
    mentioned_years: bool = True
    # Ordinals numbering the event ("81st", "eleventh") are read this far into
    # headline + body, from min_ordinal up ("second" mostly counts times: "her second
    # Oscar"), and rule out a match only for these relations: title matches, which
    # weigh no text. For title-less matches they cost ECB+ recall (0.75 -> 0.73).
    ordinal_lead_chars: int = 300
    min_ordinal: int = 4
    ordinal_conflict_relations: tuple[str, ...] = ("same-work", "same-base")
    # A key mentioned this often (a headline mention counts headline_mentions times)
    # is what the article is about; fewer mentions count proportionally less.
    salient_mentions: float = 3.0
    headline_mentions: float = 3.0

    # --- duplicate copies (MinHash LSH over word shingles) ----------------------
    shingle_words: int = 4
    num_perm: int = 64
    lsh_bands: int = 21  # 21 bands x 3 rows: a pair at Jaccard 0.45 is a candidate 87% of the time
    lsh_rows: int = 3
    min_shingles: int = 12  # shorter texts are left to the exact fingerprint
    # Length-aware thresholds: short texts need more overlap, because one changed
    # sentence moves their Jaccard a lot and a shared template fills a larger part.
    dup_jaccard_short: float = 0.85  # fewer than dup_short_shingles shingles
    dup_jaccard_medium: float = 0.70
    dup_jaccard_long: float = 0.60  # more than dup_long_shingles shingles
    dup_short_shingles: int = 30
    dup_long_shingles: int = 300
    # A copy with boilerplate added or cut: most of the shorter text is inside the
    # longer one, and the two are of comparable length.
    dup_containment: float = 0.90
    dup_min_length_ratio: float = 0.5
    dup_min_containment_shingles: int = 25
    max_lsh_candidates: int = 30
    # A neighbour that is not a copy but shares this much text (MinHash estimate) is
    # evidence that the article is about the same thing.
    similar_text_min: float = 0.25

    # --- same release ---------------------------------------------------------------
    # Candidate stories weighed per article, those sharing a title first. From 4 to 8
    # our fixtures and ECB+ come out identical (3 loses ECB+ recall), and 5 and 8 give
    # the same stories on the 20k scale corpus; 5 keeps one spare and weighs 3 fewer
    # stories per article than 8 did.
    max_candidate_stories: int = 5
    # Keys more articles than this carry are not used to find candidates: their
    # postings would grow with the store, and so common a name says little anyway.
    max_key_df: int = 200
    # How many of an article's rarest keys of each kind are used to find candidates.
    max_retrieval_names: int = 12
    max_retrieval_words: int = 6
    max_retrieval_terms: int = 6
    # At most this many postings (articles carrying the chosen keys) are read to find
    # candidates: the rarest keys first, so the work per article has a ceiling.
    retrieval_budget: int = 80
    # The best candidates get their text similarity over all the article's words.
    complete_top_candidates: int = 4
    # Weights of one shared key of each kind, before the rarity factor.
    weight_person: float = 1.0
    weight_name: float = 1.0
    weight_word: float = 0.35
    # Rarity: a key seen in df of N articles keeps log((N+K)/(df+1))/log(K) of its weight.
    rarity_k: float = 50.0
    # Evidence needed to join a story, by how the title compares.
    join_same_work: float = 0.0  # same release key, no conflict: the title is enough
    join_same_base: float = 1.0  # "Squid Game" vs "Squid Game 2": people must agree
    join_no_work: float = 0.1  # no shared title: at least one shared name ...
    # ... and the text must be this close to the story's (cosine of TF-IDF vectors;
    # 0.2, was 0.25 before the detail block, which lowers look-alike cosines more
    # than same-event ones).
    join_no_work_cosine: float = 0.2
    # When only one side names a release: an article naming one and a story that
    # never carried or named it, or an untitled article sharing at most one person
    # or name with a titled story (see matcher.assess). On ECB+ 0.2 and 0.25 give the
    # same stories, 0.3 loses recall (entertainment topics 0.907 -> 0.896 for the
    # first case, -> 0.868 for the second); our fixtures are unchanged by any. On the
    # UCI entertainment headlines 0.25 takes BCubed precision from 0.964 to 0.970
    # (recall 0.241 -> 0.235, the labels being coarse); on the BBC 2005 corpus it
    # keeps the next Bond film's coverage out of a Big Brother story it joined
    # through a bookmaker quoted in both. Requiring 0.25 of every untitled article
    # with a titled story instead cost ECB+ pairwise F1 0.871 -> 0.864.
    join_one_titled_cosine: float = 0.25
    join_same_base_cosine: float = 0.2
    # A bridging article's second story (no shared title) must be this close to it,
    # with merge_min_evidence 1.5 (was 3.0). On ECB+ (pairwise P / R / F1, topics with
    # both events merged): 0.25 gave 0.885 / 0.808 / 0.845, 12; 0.35 gives 0.906 /
    # 0.792 / 0.845, 10, with 444 wrong look-alike links instead of 586; 0.40 and up
    # lose recall and merge more.
    merge_min_cosine: float = 0.35
    # Both name a work and the titles differ: a title found in plain text can be a
    # scare quote ("Riot"), so a text this close that shares at least
    # other_work_min_names distinct people or names still joins (related titles
    # need as many). On ECB+ cosine 0.2 to 0.3 gave pairwise F1 0.872 (0.861 when
    # differing titles never joined), 0.4 0.865, 0.5 0.863; two names instead of one
    # cost 0.001 (0.871) and keep two films written up from one template apart when
    # they share only the studio or the director. Our fixtures are unchanged by any
    # of these.
    join_other_work_cosine: float = 0.3
    other_work_min_names: int = 2
    # A story and an article that both name people but share none, and each names at
    # least this many, are about different releases even under one title.
    people_conflict_min: int = 2
    # Release years (or publication years) this far apart are different releases.
    year_conflict_gap: int = 2
    # Without a shared title (news events rather than releases), coverage this many
    # years apart is about different events.
    event_year_gap: int = 2
    # A bridging article merges a second story into the first only with this much.
    merge_min_evidence: float = 1.5
