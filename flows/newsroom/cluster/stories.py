"""Incremental story assignment with stable ids.

Settled articles keep their story. The articles placed (a run's new ones and the recent
stored ones it reopens, see cluster/stage.py) join the story they are most like (or the
story of the article they copy); stories that turn out to be one are merged and the oldest
id survives (the merge is recorded). A new story is named after its first article.
Running again on the same input has no new articles, so nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Assignment:
    members: dict[str, str] = field(default_factory=dict)  # article_id -> story_id, new or changed
    merges: list[tuple[str, str]] = field(default_factory=list)  # (merged story, surviving story)
    created: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)


def story_id_for(first_article_id: str) -> str:
    return f"story_{first_article_id[:12]}"


def assign_greedy(
    new_in_order: list[str],
    existing: dict[str, str],
    story_age: dict[str, tuple],
    sources: dict[str, list[str]],
    candidates,
    similarity,
    threshold: float,
    max_members: int = 50,
    merge_threshold: float | None = None,
    merge_candidates=None,
    groups=None,
) -> tuple[Assignment, dict[str, tuple[str, float]]]:
    """Average-link, one article at a time (oldest first), so ids never depend on batching
    more than on order: an article joins the candidate story whose members it is most
    similar to on average, if that is at least `threshold`; else it opens a story.

    sources: article -> articles it copies or rewrites; such an article always joins its
    source's story, and when its sources sit in different stories those merge (the oldest
    id survives). candidates(a) -> articles worth comparing with; similarity(a, others) ->
    array of similarities; merge_candidates(a) -> the fewer articles whose stories are
    worth merging with or moving a to (default: candidates); groups: see _merge_touched.
    Returns the assignment and, per new article, the member it matched best with its score
    (the evidence behind a same-story link)."""
    result, evidence = Assignment(), {}
    current, age = dict(existing), dict(story_age)
    members: dict[str, list[str]] = {}
    for article, story in existing.items():
        members.setdefault(story, []).append(article)
    for position, article in enumerate(new_in_order):
        story = _sources_story(article, sources, current, members, age, result)
        if story is None:
            story, best = _best_story(article, candidates, current, members, similarity, threshold, max_members)
            if best is not None:
                evidence[article] = best
        if story is None:
            story = f"~{article}"  # named after its first member once placing is done
            age[story] = ("~", position)  # newer than every stored story
            result.created.add(story)
        current[article] = story
        members.setdefault(story, []).append(article)
        result.members[article] = story
    nearby, merge_at = merge_candidates or candidates, threshold if merge_threshold is None else merge_threshold
    _refine(new_in_order, sources, current, members, result, nearby, similarity, threshold, max_members, evidence, age)
    _merge_touched(new_in_order, current, members, result, age, nearby, similarity, merge_at, groups)
    result.updated = {current[a] for a in new_in_order} - result.created
    return result, evidence


def _sources_story(article, sources, current, members, age, result: Assignment) -> str | None:
    """The story of the article's placed sources (those in several stories merge into the
    oldest), or None when it has none."""
    linked = sorted({current[s] for s in sources.get(article, []) if s in current}, key=lambda s: (age.get(s, ()), s))
    if not linked:
        return None
    story = linked[0]
    for merged in linked[1:]:
        if merged not in result.created:  # a story of this run leaves no record
            result.merges.append((merged, story))
        _absorb(merged, story, current, members, result)
        result.created.discard(merged)
    return story


def _absorb(merged: str, survivor: str, current: dict, members: dict, result: Assignment) -> None:
    """Move every member of story `merged` into story `survivor`; stories recorded as merged
    into `merged` are now merged into `survivor`."""
    result.merges = [(m, survivor if s == merged else s) for m, s in result.merges]
    for member in members.pop(merged, []):
        current[member] = survivor
        result.members[member] = survivor
        members.setdefault(survivor, []).append(member)


def _best_story(article, candidates, current, members, similarity, threshold, max_members):
    """(the placed story the article is most like on average, if at least `threshold`, or
    None; the member it matched best with the score, or None)."""
    story, best, evidence = None, threshold, None
    by_story: dict[str, list[str]] = {}
    for other in candidates(article):
        if other in current and other != article:
            by_story.setdefault(current[other], []).append(other)
    for candidate_story, score, top in _story_scores(article, by_story, members, similarity, max_members):
        if score >= best:
            story, best, evidence = candidate_story, score, top
    return story, evidence


LINK_MEMBERS = 20  # two stories are compared by their most recent members


def _story_link(a: list[str], b: list[str], similarity) -> float:
    """Average-link similarity of two stories (their most recent members)."""
    left, right = a[-LINK_MEMBERS:], b[-LINK_MEMBERS:]
    if not left or not right:
        return 0.0
    return float(sum(similarity(x, right).mean() for x in left) / len(left))


def _merge_touched(new_in_order, current, members, result, age, candidates, similarity, threshold, groups=None) -> None:
    """Average-link agglomeration of the stories this run touched with their neighbours:
    repeatedly merge the closest pair while their average similarity clears the threshold.
    The older story's id survives; merges of stored stories are recorded. With `groups`
    (an object whose centroid(ids) and centroid_similarity(a, b) give average link for a
    dot-product similarity, as SimilarityModel's do) a story pair costs one product."""
    new = set(new_in_order)

    def neighbours(story: str) -> set[str]:
        found = set()
        for article in members.get(story, []):
            # only new articles propose merges (result.members also holds the stored
            # articles of a story merged in this run: their candidates were never indexed)
            if article in new:
                found |= {current[o] for o in candidates(article) if o in current}
        return found - {story}

    centroids: dict[str, object] = {}

    def link(a: str, b: str) -> float:
        if groups is None:
            return _story_link(members[a], members[b], similarity)
        for story in (a, b):
            if story not in centroids:
                centroids[story] = groups.centroid(members[story][-LINK_MEMBERS:])
        return groups.centroid_similarity(centroids[a], centroids[b])

    scores: dict[frozenset, float] = {}
    for story in {current[a] for a in new_in_order}:
        for other in neighbours(story):
            key = frozenset((story, other))
            if key not in scores:
                scores[key] = link(story, other)
    while scores:
        key, score = max(scores.items(), key=lambda kv: kv[1])
        if score < threshold:
            break
        a, b = sorted(key, key=lambda st: (age.get(st, ()), st))
        survivor, merged = a, b  # the older id survives
        _absorb(merged, survivor, current, members, result)
        if merged not in result.created:
            result.merges.append((merged, survivor))
        result.created.discard(merged)
        scores = {k: v for k, v in scores.items() if merged not in k and survivor not in k}
        centroids.pop(survivor, None)
        centroids.pop(merged, None)
        for other in neighbours(survivor):
            if other in members:
                scores[frozenset((survivor, other))] = link(survivor, other)


def _story_scores(article, stories, members, similarity, max_members, exclude=None):
    """(story, mean similarity of `article` to the story's latest members, best member) for
    each story, from one vectorised similarity call."""
    compared, spans = [], []
    for story in stories:
        group = [m for m in members.get(story, []) if m != exclude][-max_members:]
        spans.append((story, len(compared), len(compared) + len(group)))
        compared += group
    scores = similarity(article, compared) if compared else []
    for story, start, end in spans:
        if end > start:
            block = scores[start:end]
            top = int(block.argmax())
            yield story, float(block.mean()), (compared[start + top], float(block[top]))


def _refine(
    new_in_order,
    sources,
    current,
    members,
    result,
    candidates,
    similarity,
    threshold,
    max_members,
    evidence,
    age,
    rounds: int = 2,
) -> None:
    """Greedy assignment depends on order: an early article may open a story that a later,
    better-fitting one would have joined. Move this run's unforced articles to the story they
    now fit best (stored articles never move), then name each new story after its first
    member so that its id is as stable as the order."""
    movable = [a for a in new_in_order if not sources.get(a)]
    for _ in range(rounds):
        moved = [
            a
            for a in movable
            if _move_to_best(a, current, members, result, candidates, similarity, threshold, max_members)
        ]
        if not moved:
            break
    _name_new_stories(new_in_order, current, members, result, age)


def _move_to_best(article, current, members, result, candidates, similarity, threshold, max_members) -> bool:
    """Move an article to the story it now fits best, if clearly better than its own."""
    here = current[article]
    by_story: dict[str, list[str]] = {}
    for other in candidates(article) + [m for m in members[here] if m != article]:
        if other in current and other != article:
            by_story.setdefault(current[other], []).append(other)
    scores = {
        story: score
        for story, score, _ in _story_scores(article, by_story, members, similarity, max_members, exclude=article)
    }
    best = max(scores, key=scores.get) if scores else None
    stay = scores.get(here, -1.0) if len(members[here]) > 1 else threshold
    if best is None or best == here or scores[best] < max(stay, threshold) + 1e-9:
        return False
    members[here].remove(article)
    members[best].append(article)
    current[article] = best
    result.members[article] = best
    return True


def _name_new_stories(new_in_order, current, members, result, age) -> None:
    """Stories of this run: drop the emptied ones, and name each after its first member (a
    reopened article opening a story again gives it the id it had; an id a settled story
    still holds is not taken twice). A renamed story keeps its age: newer than every stored
    one, so that a stored story it merges with keeps its id."""
    order = {a: i for i, a in enumerate(new_in_order)}  # once, not once per story
    taken = {story for story, placed in members.items() if placed and story not in result.created}
    firsts = {st: min(members[st], key=lambda a: order.get(a, -1)) for st in result.created if members.get(st)}
    result.created.intersection_update(firsts)  # the emptied ones go
    renames = {}
    # in placing order, so that which story takes a suffix does not depend on set order
    for story, first in sorted(firsts.items(), key=lambda kv: order.get(kv[1], -1)):
        name, n = story_id_for(first), 1
        while name in taken:
            name, n = f"{story_id_for(first)}_{n}", n + 1
        taken.add(name)
        renames[story] = name
    for old, new in renames.items():
        members[new] = members.pop(old)
        age[new] = age.pop(old)
        result.created.discard(old)
    result.merges = [(merged, renames.get(survivor, survivor)) for merged, survivor in result.merges]
    result.created |= set(renames.values())
    for article, story in list(result.members.items()):
        if story in renames:
            result.members[article] = renames[story]
            current[article] = renames[story]
