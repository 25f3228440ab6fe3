"""The clustering stage: link each new article to the articles it copies or rewrites, then
add it to the story it is most like (or open one). Pure computation on what the warehouse
holds (records.WarehouseStories, read by load/stories.py), returning a records.Clustering
for the storage layer to write.

Cost grows near-linearly: copy candidates come from MinHash LSH over 5-word shingles, story
candidates from an inverted index of each article's top terms and entities, never from
all pairs; only new articles are compared. What each article needs on its own (sentence
stems, shingles, MinHash signature) comes from the annotation workers (see features.py).
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict

import numpy as np

from ..records import ClusterCounts, Clustering, Corpus, WarehouseStories
from . import stories
from .features import NUM_PERM
from .pair_model import PairModel
from .similarity import SimilarityModel
from .syndication import ArticleFacts, compare, profile, source_first

COPY_LSH_THRESHOLD = 0.3
REWRITE_CHECKS = 3  # most similar candidates checked for being a paraphrase
MAX_POSTINGS = 500  # a blocking key shared by more articles than this says nothing
MAX_CANDIDATES = 300  # compared with at most this many articles, those sharing most keys
MIN_SHARED_KEYS = 2  # blocking: an article is compared with those sharing this many keys
NEAREST = 20  # stories worth merging are those of an article's nearest candidates
# Each run places the most recently loaded stored articles again beside the new ones:
# stories stay open while they are recent, so that a corpus loaded a few articles a run ends
# in the stories one run over all of it makes (docs/architecture.md: "Stories stay open").
REOPEN_WINDOW = 300
# Pairs compared per reading of texts: profiling every compared text at once, when 20,000
# articles were clustered in one run, raised the run's peak from 1.4 to 2.6 GB (2026-12-04).
LINK_CHUNK = 4000


def prewarm() -> None:
    """Import the stage's libraries (SciPy, datasketch: 1.2 s of a 30-article increment's
    3 s clustering stage, 2026-12-04) on a background thread, while the run annotates, so
    that the stage computes from its first second."""
    threading.Thread(target=_import_libraries, name="cluster-imports", daemon=True).start()


def _import_libraries() -> None:
    import datasketch  # noqa: F401
    import scipy.sparse  # noqa: F401


def _copy_candidates(corpus: Corpus, new_ids: set[str]) -> dict[str, set[str]]:
    """Each new article's copy candidates: the articles whose MinHash signature equals its
    own on at least one band, as datasketch's MinHashLSH at COPY_LSH_THRESHOLD finds them
    (its band layout), computed on the stored signature array at once: inserting 20,000
    signatures one at a time into MinHashLSH was 7.6 s of a 30-article increment (2026-12-03)."""
    from datasketch import MinHashLSH

    layout = MinHashLSH(threshold=COPY_LSH_THRESHOLD, num_perm=NUM_PERM)  # its bands (b) of r values
    ids, new = np.array(corpus.ids, dtype=object), sorted(new_ids)
    row = {a: i for i, a in enumerate(corpus.ids)}
    rows = np.array([row[a] for a in new], dtype=np.int64)
    found = {a: set() for a in new}
    for start, end in layout.hashranges:
        band = np.ascontiguousarray(corpus.signatures[:, start:end])
        _, bucket = np.unique(
            band.view(np.dtype((np.void, band.itemsize * (end - start)))).ravel(), return_inverse=True
        )
        for article_id, row in zip(new, rows, strict=True):
            found[article_id].update(ids[bucket == bucket[row]])
    for article_id in new:
        found[article_id].discard(article_id)
    return found


def _blocking_index(model: SimilarityModel, article_ids: list[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for article_id in article_ids:
        for key in model.keys(article_id):
            index[key].append(article_id)
    return index


def cluster(state: WarehouseStories, pair_model: PairModel | None = None) -> Clustering:
    """Links and story assignments for the articles of `state.new_order`, oldest first:
    the new ones, and the reopened stored ones placed again beside them; by the shipped
    pair model (cluster/pair_model.json) unless given one."""
    new_order = state.new_order
    if not new_order:
        return Clustering()
    arrived = [a for a in new_order if a not in state.reopened]
    facts, model = _model(state, pair_model)
    copies = _copy_candidates(state.corpus, set(arrived))
    index = _blocking_index(model, list(model.index))
    position = {a: i for i, a in enumerate(new_order)}

    @functools.cache
    def candidates(article_id: str) -> list[str]:
        shared: dict[str, int] = defaultdict(int)
        for key in model.keys(article_id):
            postings = index.get(key, [])
            if len(postings) <= MAX_POSTINGS:
                for other in postings:
                    shared[other] += 1
        # only articles already placed: settled ones and those earlier in the order (for a
        # settled article, settled ones only)
        mine = position.get(article_id, -1)
        placed = [
            (n, o)
            for o, n in shared.items()
            if n >= MIN_SHARED_KEYS and o != article_id and (o not in position or position[o] < mine)
        ]
        return [o for _, o in sorted(placed, reverse=True)[:MAX_CANDIDATES]]  # cached: asked again by later passes

    @functools.cache
    def nearest(article_id: str) -> list[str]:
        """The candidates most similar to the article, best first: where a paraphrase
        or a story worth merging with is to be found."""
        nearby = candidates(article_id)
        scores = model.similarity(article_id, nearby)
        return [nearby[i] for i in np.argsort(-scores, kind="stable")[:NEAREST]]

    links = _syndication_links(arrived, copies, nearest, facts, model, state.corpus)
    sources = defaultdict(list, {a: list(s) for a, s in state.sources.items()})
    for link in links:
        sources[link["article_id"]].append(link["linked_article_id"])
    return _assign_stories(state, sources, candidates, nearest, model, links)


def _syndication_links(new_order, copies, nearest, facts, model, corpus: Corpus) -> list[dict]:
    """Copy and rewrite links of the new articles: with their copy candidates (LSH) and
    their few most similar candidates, each pair checked once; the texts of only those
    articles are read."""
    pairs, checked = [], set()
    for article_id in new_order:
        for other in sorted(copies.get(article_id, set()) | set(nearest(article_id)[:REWRITE_CHECKS])):
            pair = frozenset((article_id, other))
            if pair not in checked:
                checked.add(pair)
                pairs.append((article_id, other))
    links, profiles = [], {}
    for start in range(0, len(pairs), LINK_CHUNK):
        chunk = pairs[start : start + LINK_CHUNK]
        needed = {a for pair in chunk for a in pair}
        profiles = {a: p for a, p in profiles.items() if a in needed}  # those the chunk shares with the last
        for a, (body, features) in corpus.texts(sorted(needed - profiles.keys())).items():
            profiles[a] = profile(body, features)
        for a, b in chunk:
            link = _syndication_link(a, b, facts, model, profiles)
            if link is not None:
                links.append(link)
    return links


def similarity_model(state: WarehouseStories, pair_model: PairModel | None = None) -> SimilarityModel:
    """The similarity model of what the warehouse holds."""
    return _model(state, pair_model)[1]


def _model(state: WarehouseStories, pair_model=None) -> tuple[dict[str, ArticleFacts], SimilarityModel]:
    corpus = state.corpus
    facts = {
        a: ArticleFacts(a, published, agency, order)
        for order, (a, published, agency) in enumerate(zip(corpus.ids, corpus.published, corpus.agencies, strict=True))
    }
    return facts, SimilarityModel(corpus, pair_model)


def _syndication_link(a: str, b: str, facts, model: SimilarityModel, profiles) -> dict | None:
    evidence = compare(profiles[a], profiles[b])
    if evidence.relation is None:
        return None
    source, derived = source_first(facts[a], facts[b])
    return {
        "article_id": derived.article_id,
        "linked_article_id": source.article_id,
        "relation": evidence.relation,
        "shingle_jaccard": evidence.shingle_jaccard,
        "sentence_alignment": evidence.sentence_alignment,
        "entity_overlap": round(model.entity_overlap(a, b), 4),
        "text_similarity": round(model.pair_similarity(a, b), 4),
    }


def _assign_stories(state: WarehouseStories, sources, candidates, nearest, model, links) -> Clustering:
    # a derived article whose source is new too: the source is placed first (oldest first order)
    settled = {a: story for a, story in state.members.items() if a not in state.reopened}
    result, evidence = stories.assign_greedy(
        state.new_order,
        settled,
        state.story_age,
        sources,
        candidates,
        model.similarity,
        model.pair_model.join,
        merge_threshold=model.pair_model.merge,
        merge_candidates=nearest,
        groups=model,
    )
    linked = {(link["article_id"], link["linked_article_id"]) for link in links} | {
        (link["linked_article_id"], link["article_id"]) for link in links
    }
    for article_id, (other, score) in evidence.items():
        if (article_id, other) not in linked:
            links.append(
                {
                    "article_id": article_id,
                    "linked_article_id": other,
                    "relation": "same_story",
                    "shingle_jaccard": None,
                    "sentence_alignment": None,
                    "entity_overlap": round(model.entity_overlap(article_id, other), 4),
                    "text_similarity": round(score, 4),
                }
            )
    members, merges = _reopened_outcome(state, result)
    known = set(state.members.values())
    counts = ClusterCounts(
        articles_clustered=len(state.new_order) - len(state.reopened),
        links=len(links),
        stories_created=len(result.created - known),
        stories_updated=len(set(members.values()) - (result.created - known)),
        stories_merged=len(merges),
    )
    return Clustering(links=links, members=members, reopened=state.reopened, merges=merges, counts=counts)


def _reopened_outcome(state: WarehouseStories, result) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The memberships that changed (a reopened article placed where it was is no change) and
    the merges: those of the assignment, and each stored story left without members, recorded
    as merged into the story its first member went to."""
    members = {a: story for a, story in result.members.items() if state.members.get(a) != story}
    merges = list(result.merges)
    if not state.reopened:
        return members, merges
    now = dict(state.members) | result.members
    alive = set(now.values())
    merged = {m for m, _ in merges}
    first: dict[str, str] = {}
    for article in state.new_order:  # placing order: the first reopened member of each stored story
        if article in state.reopened:
            first.setdefault(state.members[article], article)
    for story, article in first.items():
        if story not in alive and story not in merged:
            merges.append((story, now[article]))
    return members, merges
