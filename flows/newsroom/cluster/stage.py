"""The clustering stage: link each new article to the articles it copies or rewrites, then
add it to the story it is most like (or open one). Reads and writes the landing tables.

Cost grows near-linearly: copy candidates come from MinHash LSH over 5-word shingles, story
candidates from an inverted index of each article's top terms and entities, never from
all pairs; only new articles are compared. What each article needs on its own (sentence
stems, shingles, MinHash signature) comes from the annotation workers (see features.py).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from ..load.warehouse import insert_features, now, rollback
from . import stories
from .features import NUM_PERM, TextFeatures, minhash, text_features
from .similarity import ArticleFeatures, SimilarityModel
from .syndication import ArticleFacts, compare, profile, source_first

COPY_LSH_THRESHOLD = 0.3
SAME_STORY_THRESHOLD = 0.20  # mean similarity to a story's members (see similarity.py)
STORY_MERGE_THRESHOLD = 0.17  # mean similarity between two stories' members
REWRITE_CHECKS = 3  # most similar candidates checked for being a paraphrase
MAX_POSTINGS = 500  # a blocking key shared by more articles than this says nothing
MAX_CANDIDATES = 300  # compared with at most this many articles, those sharing most keys
MIN_SHARED_KEYS = 2  # blocking: an article is compared with those sharing this many keys
NEAREST = 20  # stories worth merging are those of an article's nearest candidates


@dataclass
class ClusterCounts:
    articles_clustered: int = 0
    links: int = 0
    stories_created: int = 0
    stories_updated: int = 0
    stories_merged: int = 0


def complete_features(con: duckdb.DuckDBPyConnection) -> None:
    """Features of articles stored without them (loaded by an earlier version, or by a
    tool that does not annotate), computed here with the workers' functions."""
    missing = con.execute("""select article_id, body_text from landing.articles
                             where article_id not in (select article_id from landing.article_features)""").fetchall()
    insert_features(con, [(article_id, text_features(text)) for article_id, text in missing])


def _copy_candidates(stored: StoredFeatures, new_ids: set[str]) -> dict[str, set[str]]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=COPY_LSH_THRESHOLD, num_perm=NUM_PERM)
    new_sigs = {}
    for article_id in stored.row:
        sketch = minhash(stored.signature(article_id))
        lsh.insert(article_id, sketch)
        if article_id in new_ids:
            new_sigs[article_id] = sketch
    return {a: set(lsh.query(m)) - {a} for a, m in new_sigs.items()}


def _blocking_index(model: SimilarityModel, article_ids: list[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for article_id in article_ids:
        for key in model.keys(article_id):
            index[key].append(article_id)
    return index


def cluster_new_articles(con: duckdb.DuckDBPyConnection, run_id: str) -> ClusterCounts:
    new_rows = con.execute("""
        select article_id from landing.articles
        where article_id not in (select article_id from landing.story_members)
        order by published_date nulls last, loaded_at, article_id""").fetchall()
    counts = ClusterCounts()
    if not new_rows:
        return counts
    new_order = [r[0] for r in new_rows]
    new_ids = set(new_order)
    con.execute("begin transaction")
    try:
        complete_features(con)
        facts, model, stored = _load(con)
        copies = _copy_candidates(stored, new_ids)
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
            # only articles already placed: stored ones and new ones earlier in the order
            # (for a stored article, stored ones only)
            mine = position.get(article_id, -1)
            placed = [
                (n, o)
                for o, n in shared.items()
                if n >= MIN_SHARED_KEYS and o != article_id and (o not in position or position[o] < mine)
            ]
            return [o for _, o in sorted(placed, reverse=True)[:MAX_CANDIDATES]]

        # (cached: the assignment passes ask again for the same article)

        @functools.cache
        def nearest(article_id: str) -> list[str]:
            """The candidates most similar to the article, best first: where a paraphrase
            or a story worth merging with is to be found."""
            nearby = candidates(article_id)
            scores = model.similarity(article_id, nearby)
            return [nearby[i] for i in np.argsort(-scores, kind="stable")[:NEAREST]]

        @functools.lru_cache(maxsize=4096)  # bounded: an article is compared while it is recent
        def text_profile(article_id: str):
            return profile(
                model.texts[article_id],
                TextFeatures(
                    model.sentence_stems[article_id], stored.shingles(article_id), stored.signature(article_id)
                ),
            )

        links, sources, checked = [], defaultdict(list), set()
        for article_id in new_order:
            for other in sorted(copies.get(article_id, set()) | set(nearest(article_id)[:REWRITE_CHECKS])):
                pair = frozenset((article_id, other))
                if pair in checked:
                    continue
                checked.add(pair)
                link = _syndication_link(article_id, other, facts, model, text_profile, run_id)
                if link is not None:
                    links.append(link)
                    sources[link["article_id"]].append(link["linked_article_id"])
        counts = _assign_stories(con, new_order, sources, candidates, nearest, model, links, run_id)
        if links:
            batch = pa.Table.from_pylist(links)  # noqa: F841 - read by name below
            con.execute("""insert into landing.article_links by name select * from batch
                           where (article_id, linked_article_id) not in (select (article_id, linked_article_id) from landing.article_links)""")
        counts.links = len(links)
        con.execute("commit")
    except BaseException:
        rollback(con)  # keeps the cause: a failed commit (a full disk) has no transaction left
        raise
    return counts


_FETCH_ROWS = 20_000


def _rows(con: duckdb.DuckDBPyConnection, sql: str):
    """The rows of a query a slice at a time: fetchall on a 20k-article warehouse holds a
    million entity mentions as Python tuples at once (about 400 MB)."""
    cursor = con.execute(sql)
    while rows := cursor.fetchmany(_FETCH_ROWS):
        yield from rows


def _load(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, ArticleFacts], SimilarityModel, StoredFeatures]:
    # One object per distinct entity and stem sentence: a warehouse repeats a few thousand
    # names a million times, and a copied article repeats its source's sentences.
    shared: dict = {}
    entities: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for article_id, name, label in _rows(
        con, "select article_id, canonical_name, label from landing.entity_mentions order by article_id, mention_index"
    ):
        pair = (name, label)
        entities[article_id].append(shared.setdefault(pair, pair))
    ordered = (
        """from landing.articles join landing.article_features using (article_id) order by loaded_at, article_id"""
    )
    facts, features = {}, []
    for order, (article_id, body, published, agency, sentence_stems) in enumerate(
        _rows(con, f"select article_id, body_text, published_date, wire_agency, sentence_stems {ordered}")
    ):
        facts[article_id] = ArticleFacts(article_id, published, agency, order)
        sentence_stems = [shared.setdefault(s, s) for s in sentence_stems]
        features.append(ArticleFeatures(article_id, body, entities.pop(article_id, []), sentence_stems, published))
    del shared
    stored = StoredFeatures(list(facts), con.sql(f"select shingles, signature {ordered}").to_arrow_table())
    return facts, SimilarityModel(features), stored


class StoredFeatures:
    """Shingles and signatures of every article as two flat arrays (one Arrow buffer each,
    not a Python object per value), sliced per article when it is compared."""

    def __init__(self, article_ids: list[str], table):
        self.row = {a: i for i, a in enumerate(article_ids)}
        shingles = table.column("shingles").combine_chunks()
        self._offsets, self._values = shingles.offsets.to_numpy(), shingles.values.to_numpy()
        self.signatures = table.column("signature").combine_chunks().values.to_numpy().reshape(-1, NUM_PERM)

    def shingles(self, article_id: str) -> np.ndarray:
        i = self.row[article_id]
        return self._values[self._offsets[i] : self._offsets[i + 1]]

    def signature(self, article_id: str) -> np.ndarray:
        return self.signatures[self.row[article_id]]


def _syndication_link(a: str, b: str, facts, model: SimilarityModel, text_profile, run_id: str) -> dict | None:
    evidence = compare(text_profile(a), text_profile(b))
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
        "run_id": run_id,
    }


def _assign_stories(con, new_order, sources, candidates, nearest, model, links, run_id) -> ClusterCounts:
    existing = dict(con.execute("select article_id, story_id from landing.story_members").fetchall())
    story_age = {
        s: (str(t),)
        for s, t in con.execute(
            "select story_id, min(assigned_at) from landing.story_members group by story_id"
        ).fetchall()
    }
    # a derived article whose source is new too: the source is placed first (oldest first order)
    result, evidence = stories.assign_greedy(
        new_order,
        existing,
        story_age,
        sources,
        candidates,
        model.similarity,
        SAME_STORY_THRESHOLD,
        merge_threshold=STORY_MERGE_THRESHOLD,
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
                    "run_id": run_id,
                }
            )
    stamp = now()
    if result.members:
        members = pa.table(  # noqa: F841 - read by name below
            {
                "article_id": list(result.members),
                "story_id": list(result.members.values()),
            }
        )
        con.execute("delete from landing.story_members where article_id in (select article_id from members)")
        con.execute("insert into landing.story_members select article_id, story_id, ?, ? from members", [run_id, stamp])
    for merged, survivor in result.merges:
        con.execute(
            "insert into landing.story_merges values (?, ?, ?, ?) on conflict do nothing",
            [merged, survivor, run_id, stamp],
        )
        con.execute(
            "update landing.story_merges set surviving_story_id = ? where surviving_story_id = ?", [survivor, merged]
        )
    return ClusterCounts(
        articles_clustered=len(new_order),
        stories_created=len(result.created),
        stories_updated=len(result.updated - result.created),
        stories_merged=len(result.merges),
    )
