"""Incremental story assignment with stable ids.

Existing articles keep their story. New articles join the stories they are linked to; a
new article linked to several stories merges them, and the oldest story id survives (the
merge is recorded). New articles linked to no story open one, named after its first
article. Running again on the same input has no new articles, so nothing changes.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Assignment:
    members: dict[str, str] = field(default_factory=dict)  # article_id -> story_id, new or changed
    merges: list[tuple[str, str]] = field(default_factory=list)  # (merged story, surviving story)
    created: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)


def story_id_for(first_article_id: str) -> str:
    return f"story_{first_article_id[:12]}"


def assign(
    new_articles: list[str],
    existing: dict[str, str],
    story_age: dict[str, tuple],
    links: Iterable[tuple[str, str]],
    article_order: dict[str, tuple],
) -> Assignment:
    """new_articles: ids without a story, in any order. existing: article -> story.
    story_age: story -> sortable creation key (older first). links: article pairs about the
    same event (either side may be new or existing). article_order: article -> sortable key
    (earliest first), used to name a new story after its first article."""
    uf = _UnionFind()
    new = set(new_articles)
    # Nodes are new articles and existing stories ("s:" prefix keeps the namespaces apart).
    for article in new:
        uf.find(article)
    for a, b in links:
        if a not in new and b not in new:
            continue  # links between old articles were decided by earlier runs
        na = a if a in new else f"s:{existing[a]}" if a in existing else None
        nb = b if b in new else f"s:{existing[b]}" if b in existing else None
        if na and nb:
            uf.union(na, nb)
    components: dict[str, list[str]] = {}
    for node in list(uf.parent):
        components.setdefault(uf.find(node), []).append(node)

    result = Assignment()
    for nodes in components.values():
        stories = sorted((n[2:] for n in nodes if n.startswith("s:")), key=lambda s: (story_age.get(s, ()), s))
        articles = [n for n in nodes if not n.startswith("s:")]
        if not articles:
            continue
        if stories:
            survivor = stories[0]
            result.updated.add(survivor)
            for merged in stories[1:]:
                result.merges.append((merged, survivor))
                for article, story in existing.items():
                    if story == merged:
                        result.members[article] = survivor
        else:
            first = min(articles, key=lambda a: (article_order.get(a, ()), a))
            survivor = story_id_for(first)
            result.created.add(survivor)
        for article in articles:
            result.members[article] = survivor
    return result
