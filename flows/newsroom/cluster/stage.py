"""The clustering stage: link each new article to the articles it copies, rewrites or
covers the same event as, then extend the stories. Reads and writes the landing tables.

Cost grows near-linearly: candidates come from MinHash LSH (5-word shingles for copies,
content-stem vocabulary for rewrites and same-event articles), never from all pairs, and
only new articles are hashed.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from ..load.warehouse import now
from . import stories
from .syndication import ArticleFacts, compare, source_first
from .text import content_stems, shingles, vocabulary

NUM_PERM = 128
COPY_LSH_THRESHOLD = 0.3
TOPIC_LSH_THRESHOLD = 0.15
SAME_STORY_COSINE = 0.3
SAME_STORY_DAYS = 7


# datasketch and scikit-learn take seconds to import (scipy): imported where used, so a run
# with nothing new to cluster does not pay for them.
def signature(values: set[int]) -> np.ndarray:
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, hashfunc=lambda x: x)
    if values:
        minhash.update_batch(np.fromiter(values, dtype=np.uint64, count=len(values)))
    return minhash.hashvalues


def _minhash(values):
    from datasketch import MinHash

    prototype = _prototype()
    return MinHash(num_perm=NUM_PERM, scheme=prototype.scheme,
                   hashvalues=np.asarray(values, dtype=prototype.hashvalues.dtype))


@functools.cache
def _prototype():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM)


@dataclass
class ClusterCounts:
    articles_clustered: int = 0
    links: int = 0
    stories_created: int = 0
    stories_updated: int = 0
    stories_merged: int = 0


def _store_signatures(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str]]) -> None:
    signatures = pa.table({
        "article_id": [r[0] for r in rows],
        "shingles": [signature(shingles(r[1])).astype(np.uint64).tolist() for r in rows],
        "vocabulary": [signature(vocabulary(r[1])).astype(np.uint64).tolist() for r in rows],
    }, schema=pa.schema([("article_id", pa.string()), ("shingles", pa.list_(pa.uint64())), ("vocabulary", pa.list_(pa.uint64()))]))
    con.execute("""insert into landing.article_signatures by name select * from signatures
                   where article_id not in (select article_id from landing.article_signatures)""")


def _candidates(con: duckdb.DuckDBPyConnection, new_ids: set[str]) -> set[tuple[str, str]]:
    from datasketch import MinHashLSH

    copy_lsh = MinHashLSH(threshold=COPY_LSH_THRESHOLD, num_perm=NUM_PERM)
    topic_lsh = MinHashLSH(threshold=TOPIC_LSH_THRESHOLD, num_perm=NUM_PERM)
    new_sigs = {}
    for article_id, shingle_sig, vocab_sig in con.execute(
        "select article_id, shingles, vocabulary from landing.article_signatures"
    ).fetchall():
        sm, vm = _minhash(shingle_sig), _minhash(vocab_sig)
        copy_lsh.insert(article_id, sm)
        topic_lsh.insert(article_id, vm)
        if article_id in new_ids:
            new_sigs[article_id] = (sm, vm)
    pairs = set()
    for article_id, (sm, vm) in new_sigs.items():
        for other in set(copy_lsh.query(sm)) | set(topic_lsh.query(vm)):
            if other != article_id:
                pairs.add(tuple(sorted((article_id, other))))
    return pairs


def cluster_new_articles(con: duckdb.DuckDBPyConnection, run_id: str) -> ClusterCounts:
    new_rows = con.execute("""
        select article_id, body_text from landing.articles
        where article_id not in (select article_id from landing.story_members)
        order by loaded_at, article_id""").fetchall()
    counts = ClusterCounts()
    if not new_rows:
        return counts
    new_ids = {r[0] for r in new_rows}
    con.execute("begin transaction")
    try:
        _store_signatures(con, new_rows)
        pairs = _candidates(con, new_ids)
        links = _verify(con, pairs, run_id)
        if links:
            batch = pa.Table.from_pylist(links)  # noqa: F841 - read by name below
            con.execute("""insert into landing.article_links by name select * from batch
                           where (article_id, linked_article_id) not in (select (article_id, linked_article_id) from landing.article_links)""")
        counts = _assign_stories(con, new_ids, links, run_id)
        counts.links = len(links)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return counts


def _verify(con: duckdb.DuckDBPyConnection, pairs: set[tuple[str, str]], run_id: str) -> list[dict]:
    if not pairs:
        return []
    involved = sorted({a for pair in pairs for a in pair})
    ids = pa.table({"article_id": involved})  # noqa: F841 - read by name below
    facts, texts = {}, {}
    for order, (article_id, body, published, agency) in enumerate(con.execute("""
            select a.article_id, a.body_text, a.published_date, a.wire_agency
            from landing.articles a join ids using (article_id) order by a.loaded_at, a.article_id""").fetchall()):
        facts[article_id] = ArticleFacts(article_id, published, agency, order)
        texts[article_id] = body
    entities: dict[str, set[str]] = defaultdict(set)
    for article_id, name in con.execute("""
            select m.article_id, lower(m.canonical_name) from landing.entity_mentions m join ids using (article_id)
            where m.label in ('PERSON', 'ORG', 'GPE', 'LOC', 'FAC', 'EVENT')""").fetchall():
        entities[article_id].add(name)
    tfidf = _tfidf(con)
    vectors = tfidf.transform([texts[a] for a in involved])
    row = {a: i for i, a in enumerate(involved)}
    links = []
    for a, b in sorted(pairs):
        evidence = compare(texts[a], texts[b])
        cosine = float(vectors[row[a]].multiply(vectors[row[b]]).sum())
        ea, eb = entities[a], entities[b]
        entity_overlap = len(ea & eb) / len(ea | eb) if ea | eb else 0.0
        relation = evidence.relation
        if relation is None and cosine >= SAME_STORY_COSINE and _within_window(facts[a], facts[b]):
            relation = "same_story"
        if relation is None:
            continue
        source, derived = source_first(facts[a], facts[b])
        links.append({
            "article_id": derived.article_id, "linked_article_id": source.article_id, "relation": relation,
            "shingle_jaccard": evidence.shingle_jaccard, "sentence_alignment": evidence.sentence_alignment,
            "entity_overlap": round(entity_overlap, 4), "text_similarity": round(cosine, 4), "run_id": run_id,
        })
    return links


def _within_window(a: ArticleFacts, b: ArticleFacts) -> bool:
    if a.published_date is None or b.published_date is None:
        return True
    return abs((a.published_date - b.published_date).days) <= SAME_STORY_DAYS


def _tfidf(con: duckdb.DuckDBPyConnection):
    """TF-IDF over content stems, document frequencies from the whole warehouse."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    bodies = [r[0] for r in con.execute("select body_text from landing.articles").fetchall()]
    vectorizer = TfidfVectorizer(analyzer=content_stems, sublinear_tf=True, min_df=1)
    vectorizer.fit(bodies)
    return vectorizer


def _assign_stories(con: duckdb.DuckDBPyConnection, new_ids: set[str], links: list[dict], run_id: str) -> ClusterCounts:
    existing = dict(con.execute("select article_id, story_id from landing.story_members").fetchall())
    story_age = {s: (str(t),) for s, t in con.execute(
        "select story_id, min(assigned_at) from landing.story_members group by story_id").fetchall()}
    order = {a: (str(d) if d else "9999", str(t), a) for a, d, t in con.execute(
        "select article_id, published_date, loaded_at from landing.articles").fetchall()}
    result = stories.assign(sorted(new_ids), existing, story_age,
                            [(l["article_id"], l["linked_article_id"]) for l in links], order)
    stamp = now()
    if result.members:
        members = pa.table({  # noqa: F841 - read by name below
            "article_id": list(result.members), "story_id": list(result.members.values()),
        })
        con.execute("delete from landing.story_members where article_id in (select article_id from members)")
        con.execute("insert into landing.story_members select article_id, story_id, ?, ? from members", [run_id, stamp])
    for merged, survivor in result.merges:
        con.execute("insert into landing.story_merges values (?, ?, ?, ?) on conflict do nothing", [merged, survivor, run_id, stamp])
        con.execute("update landing.story_merges set surviving_story_id = ? where surviving_story_id = ?", [survivor, merged])
    return ClusterCounts(
        articles_clustered=len(new_ids),
        stories_created=len(result.created),
        stories_updated=len(result.updated),
        stories_merged=len(result.merges),
    )
