"""Copies, rewrites and stable story assignment."""
from __future__ import annotations

from datetime import date

from conftest import SEED_ORIGINAL, SEED_REWRITE, read_seed
from newsroom.cluster import stories
from newsroom.cluster.syndication import ArticleFacts, compare, source_first
from newsroom.extract.plaintext import extract_body

ORIGINAL = extract_body(read_seed(SEED_ORIGINAL)).body
REWRITE = extract_body(read_seed(SEED_REWRITE)).body
UNRELATED = ("The city council voted on Tuesday to expand the bus network. Officials said it would add twelve routes. "
             "The plan costs about four million dollars a year. Critics said fares would rise. The mayor disagreed. ") * 3


def test_paraphrased_rewrite_is_a_rewrite_not_a_copy():
    evidence = compare(ORIGINAL, REWRITE)
    assert evidence.relation == "rewrite"
    assert evidence.shingle_jaccard < 0.3
    assert evidence.sentence_alignment >= 0.5


def test_verbatim_copy_with_furniture_is_a_copy():
    copy = "Share this story\n\n" + ORIGINAL + "\n\nRead more stories from our partners."
    assert compare(ORIGINAL, copy).relation == "copy"


def test_unrelated_articles_are_not_linked():
    assert compare(ORIGINAL, UNRELATED).relation is None


def test_credited_wire_copy_is_the_source_when_dates_tie():
    credited = ArticleFacts("b", date(2022, 9, 22), "AP", loaded_order=1)
    uncredited = ArticleFacts("a", date(2022, 9, 22), None, loaded_order=0)
    assert source_first(uncredited, credited) == (credited, uncredited)
    earlier = ArticleFacts("c", date(2022, 9, 21), None, loaded_order=5)
    assert source_first(credited, earlier)[0] is earlier


def test_new_articles_join_linked_stories_and_unlinked_open_new_ones():
    existing = {"a1": "story_a1", "b1": "story_b1"}
    result = stories.assign(["a2", "c1"], existing, {"story_a1": (1,), "story_b1": (2,)}, [("a2", "a1")], {})
    assert result.members == {"a2": "story_a1", "c1": "story_c1"}
    assert result.created == {"story_c1"} and result.updated == {"story_a1"} and result.merges == []


def test_bridging_article_merges_stories_and_the_older_id_survives():
    existing = {"a1": "story_a1", "b1": "story_b1"}
    age = {"story_a1": (2,), "story_b1": (1,)}  # b1 is older
    result = stories.assign(["x"], existing, age, [("x", "a1"), ("x", "b1")], {})
    assert result.members == {"x": "story_b1", "a1": "story_b1"}
    assert result.merges == [("story_a1", "story_b1")]


def test_no_new_articles_changes_nothing():
    result = stories.assign([], {"a1": "story_a1"}, {"story_a1": (1,)}, [("a1", "b1")], {})
    assert result.members == {} and not result.created and not result.merges


def test_new_story_is_named_after_its_first_article():
    order = {"n2": ("2022-01-02",), "n1": ("2022-01-01",)}
    result = stories.assign(["n2", "n1"], {}, {}, [("n2", "n1")], order)
    assert set(result.members.values()) == {"story_n1"}
