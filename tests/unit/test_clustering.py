"""Copies, rewrites and stable story assignment."""

from __future__ import annotations

from datetime import date

from newsroom.cluster import stories
from newsroom.cluster.syndication import ArticleFacts, compare, source_first
from newsroom.extract.plaintext import extract_body

from conftest import SEED_ORIGINAL, SEED_REWRITE, read_seed

ORIGINAL = extract_body(read_seed(SEED_ORIGINAL)).body
REWRITE = extract_body(read_seed(SEED_REWRITE)).body
UNRELATED = (
    "The city council voted on Tuesday to expand the bus network. Officials said it would add twelve routes. "
    "The plan costs about four million dollars a year. Critics said fares would rise. The mayor disagreed. "
) * 3


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


# A toy similarity: articles are "topic-number"; same topic -> 0.9, otherwise 0.0.
def _similarity(article, others):
    import numpy as np

    return np.array([0.9 if o.split("-")[0] == article.split("-")[0] else 0.0 for o in others])


def _assign(new, existing, sources=None, age=None):
    everyone = list(existing) + list(new)
    return stories.assign_greedy(
        new,
        existing,
        age or {s: (i,) for i, s in enumerate(sorted(set(existing.values())))},
        sources or {},
        lambda a: [o for o in everyone if o != a],
        _similarity,
        threshold=0.5,
    )[0]


def test_new_articles_join_the_story_they_are_like_and_others_open_new_ones():
    existing = {"quake-1": "story_quake-1", "flood-1": "story_flood-1"}
    result = _assign(["quake-2", "fire-1"], existing)
    assert result.members == {"quake-2": "story_quake-1", "fire-1": "story_fire-1"}
    assert result.created == {"story_fire-1"} and result.updated == {"story_quake-1"} and result.merges == []


def test_existing_stories_and_ids_survive_additions():
    existing = {"quake-1": "story_quake-1"}
    result = _assign(["quake-2", "quake-3"], existing)
    assert set(result.members.values()) == {"story_quake-1"}
    assert "quake-1" not in result.members  # stored articles are not reassigned


def test_copy_bridging_two_stories_merges_them_and_the_older_id_survives():
    existing = {"a-1": "story_a-1", "b-1": "story_b-1"}
    age = {"story_a-1": (2,), "story_b-1": (1,)}  # b is older
    result = _assign(["x-1"], existing, sources={"x-1": ["a-1", "b-1"]}, age=age)
    assert result.members["x-1"] == "story_b-1" and result.members["a-1"] == "story_b-1"
    assert result.merges == [("story_a-1", "story_b-1")]


def test_a_stored_story_keeps_its_id_when_a_story_of_the_run_merges_with_it():
    """A run's story is named after its first member before stories merge; the name must not
    make it look older than the stored story it merges with (it did: the stored id was
    retired, and recorded as merged into the run's)."""
    existing = {"q-1": "story_zzz"}  # its id sorts after the new story's name
    result = stories.assign_greedy(
        ["q-2", "q-3"],
        existing,
        {"story_zzz": ("2026-12-01",)},
        {},
        lambda a: ["q-2"] if a == "q-3" else [],  # the two new ones open a story of their own
        _similarity,
        threshold=0.5,
        merge_candidates=lambda a: ["q-1", "q-2", "q-3"],  # which then merges with the stored one
    )[0]
    assert result.members == {"q-2": "story_zzz", "q-3": "story_zzz"} and result.merges == []
    assert not result.created


def test_a_merge_of_a_story_that_absorbed_another_passes_the_record_on():
    existing = {"a-1": "story_a", "b-1": "story_b", "c-1": "story_c"}
    age = {"story_a": (3,), "story_b": (2,), "story_c": (1,)}  # c is the oldest
    result = _assign(["x-1", "y-1"], existing, sources={"x-1": ["a-1", "b-1"], "y-1": ["b-1", "c-1"]}, age=age)
    assert set(result.members.values()) == {"story_c"}
    assert sorted(result.merges) == [("story_a", "story_c"), ("story_b", "story_c")]


def test_no_new_articles_changes_nothing():
    result = _assign([], {"a-1": "story_a-1"})
    assert result.members == {} and not result.created and not result.merges


def test_new_story_is_named_after_its_first_article():
    result = _assign(["n-1", "n-2"], {})
    assert set(result.members.values()) == {"story_n-1"}


def test_story_centroids_give_the_average_link_of_their_members():
    from newsroom.cluster.similarity import ArticleFeatures, SimilarityModel

    texts = [ORIGINAL, REWRITE, UNRELATED, ORIGINAL[: len(ORIGINAL) // 2], UNRELATED.replace("bus", "tram")]
    texts = [_without_years(t) for t in texts]  # event time scales pairs and groups by their own rules
    model = SimilarityModel.of_articles(
        [ArticleFeatures(str(i), t, [("Seoul", "GPE")] if i % 2 else []) for i, t in enumerate(texts)]
    )
    left, right = ["0", "1"], ["2", "3", "4"]
    by_members = stories._story_link(left, right, model.similarity)
    by_centroids = model.centroid_similarity(model.centroid(left), model.centroid(right))
    assert abs(by_members - by_centroids) < 1e-9
    assert abs(model.pair_similarity("0", "1") - model.similarity("0", ["1"])[0]) < 1e-9


def test_sentence_alignment_counts_the_sentences_with_a_close_counterpart():
    from newsroom.cluster.syndication import SENTENCE_MATCH, aligned_sentences, profile

    def dice(a, b):
        return 2 * len(a & b) / (len(a) + len(b))

    for a, b in [
        (ORIGINAL, REWRITE),
        (REWRITE, ORIGINAL),
        (ORIGINAL, UNRELATED),
        (REWRITE, REWRITE[: len(REWRITE) // 3]),
    ]:
        pa_, pb = profile(a), profile(b)
        shorter, longer = sorted((pa_.sentences, pb.sentences), key=len)
        one_by_one = sum(1 for s in shorter if any(dice(s, t) >= SENTENCE_MATCH for t in longer))
        assert aligned_sentences(pa_, pb) == one_by_one
    assert aligned_sentences(profile(ORIGINAL), profile(REWRITE)) >= 5
    assert aligned_sentences(profile(ORIGINAL), profile(UNRELATED)) == 0


def test_stored_features_give_what_the_text_gives():
    """The clustering stage reads the workers' features instead of the text: same stems,
    same lead, same profile, and the signature of the text's shingles."""
    from newsroom.cluster.features import stems, text_features
    from newsroom.cluster.syndication import profile
    from newsroom.text import content_stems, sentences, shingles

    features = text_features(REWRITE)
    assert stems(features.sentence_stems) == content_stems(REWRITE)
    assert stems(features.sentence_stems, 3) == content_stems(" ".join(sentences(REWRITE)[:3]))
    stored, from_text = profile(REWRITE, features), profile(REWRITE)
    assert stored.sentences == from_text.sentences and (stored.shingles == from_text.shingles).all()
    assert len(features.signature) == 128 and features.signature.dtype.kind == "u"
    assert (features.shingles == shingles(REWRITE)).all()
    same, other = text_features(REWRITE), text_features(UNRELATED)
    assert (same.signature == features.signature).all() and (other.signature != features.signature).any()


def test_similarity_gathered_from_the_arrays_equals_the_sparse_product():
    import numpy as np

    from newsroom.cluster.similarity import ArticleFeatures, SimilarityModel

    texts = [ORIGINAL, REWRITE, UNRELATED, ORIGINAL[: len(ORIGINAL) // 2], "", UNRELATED.replace("bus", "tram")]
    texts = [_without_years(t) for t in texts]  # the product of the vectors alone, not scaled by event time
    model = SimilarityModel.of_articles(
        [ArticleFeatures(str(i), t, [("Seoul", "GPE")] if i % 2 else []) for i, t in enumerate(texts)]
    )
    others = [str(i) for i in (5, 4, 3, 2, 1, 0, 0, 4)]  # an empty article, repeats, any order
    for article in map(str, range(len(texts))):
        rows = model.combined[[model.index[o] for o in others]]
        expected = (rows @ model.combined[model.index[article]].T).toarray().ravel()
        assert np.allclose(model.similarity(article, others), expected)
    assert model.similarity("0", ["1"])[0] > model.similarity("0", ["2"])[0]


def test_years_mentioned_are_years_not_amounts():
    from newsroom.cluster.eventtime import years_mentioned

    text = "In 2009 the rule of 1973 was restored; it cost $2000 and 2,000.5 tonnes, 2001.5 km."
    assert years_mentioned(text) == {2009, 1973}
    assert years_mentioned("No year here, only 12 people and 300 homes.") == frozenset()


def test_years_written_as_dates_outweigh_background_years():
    from newsroom.cluster.eventtime import years_mentioned

    text = "Updated 4/9/2007. A jury convicted the man; after his 2001 arrest he was freed in 1999 and in March 2004."
    assert years_mentioned(text) == {2007}
    assert years_mentioned("On March 4, 2009 the rule of 1973 was restored.") == {2009}


def test_event_times_conflict_on_dates_apart_or_disjoint_years_and_match_on_a_named_year():
    import numpy as np

    from newsroom.cluster.eventtime import CONFLICT, MATCH, NEUTRAL, EventTimes, group_relation, years_mentioned

    texts = [
        "The quake of 2008 ...",
        "Rescuers in 2008 ...",
        "The 2012 quake ...",
        "No year at all ...",
        "The 2012 quake ...",
        "The 2012 quake ...",
        "No year named ...",
    ]
    published = [None, None, None, None, date(2024, 1, 1), date(2024, 4, 1), date(2024, 1, 20)]
    times = EventTimes([years_mentioned(t) for t in texts], published)
    assert times.relation(0, np.array([1, 2, 3])).tolist() == [MATCH, CONFLICT, NEUTRAL]
    assert times.relation(4, np.array([5, 6])).tolist() == [CONFLICT, MATCH]  # dated: 91 and 19 days apart
    # against an undated article, a dated one counts its own year beside those it names
    assert times.relation(4, np.array([2]))[0] == MATCH  # {2012, 2024} and {2012}: both name 2012
    assert times.relation(6, np.array([0]))[0] == CONFLICT  # {2024} and {2008}
    assert group_relation(times.group([0, 1, 3]), times.group([2])) == CONFLICT
    assert group_relation(times.group([0, 1]), times.group([3])) == NEUTRAL
    assert group_relation(times.group([0, 3]), times.group([1])) == MATCH


def _pair_model(**changes):
    """A pair model with factors well away from 1, whatever the fitted one holds."""
    import dataclasses

    from newsroom.cluster.pair_model import fitted

    values = {"time_conflict": 0.6, "time_match": 1.4, "protagonist_conflict": 0.7} | changes
    return dataclasses.replace(fitted(), **values)


def test_similarity_is_scaled_by_how_event_times_relate():
    from newsroom.cluster.similarity import ArticleFeatures, SimilarityModel

    base = _without_years(ORIGINAL)
    texts = [base + " It happened in 2008.", base + " It happened in 2008.", base + " It happened in 2012.", base]
    pair_model = _pair_model()
    model = SimilarityModel.of_articles([ArticleFeatures(str(i), t, []) for i, t in enumerate(texts)], pair_model)
    same, other, unknown = model.similarity("0", ["1", "2", "3"])
    assert abs(same / pair_model.time_match - unknown) < 0.05
    assert abs(other / pair_model.time_conflict - unknown) < 0.05
    assert other < unknown < same
    assert abs(model.pair_similarity("0", "2") - other) < 1e-9
    assert model.centroid_similarity(model.centroid(["0"]), model.centroid(["2"])) < model.centroid_similarity(
        model.centroid(["0"]), model.centroid(["1"])
    )


def _without_years(text: str) -> str:
    from newsroom.cluster.eventtime import years_mentioned

    for year in years_mentioned(text):
        text = text.replace(str(year), "")
    return text


def _people(*names: str) -> list[tuple[str, str]]:
    return [(name, "PERSON") for name in names]


def test_protagonist_is_the_person_named_most_often_at_least_three_times():
    from newsroom.cluster.protagonists import protagonist

    assert protagonist(_people("Dirk Kempthorne", "Barack Obama", "Kempthorne", "Dirk Kempthorne")) == "kempthorne"
    assert protagonist(_people("Barack Obama", "Barack Obama") + [("Obama", "ORG")] * 3) is None  # persons only
    assert protagonist(_people("Ken Salazar", "Gary Locke") * 3) == "salazar"  # tied: the first named
    assert protagonist([]) is None


def test_reports_conflict_only_where_neither_names_the_others_protagonist():
    import numpy as np

    from newsroom.cluster.protagonists import Protagonists

    entities = [
        _people("Dirk Kempthorne") * 3 + [("Interior Department", "ORG")],
        _people("Ken Salazar") * 3 + [("Interior Department", "ORG")],
        _people("Ken Salazar") * 3 + _people("Kempthorne"),  # names the first one's protagonist in passing
        _people("Wladimir Klitschko") * 3,
        _people("Klitschko", "Klitschko", "Klitschko", "Tony Thompson"),  # the same man by his surname
        [("Interior Department", "ORG")] * 5,  # no protagonist: never in conflict
    ]
    people = Protagonists.of_entities(entities)
    assert people.conflict(0, np.array([1, 2, 3, 5])).tolist() == [True, False, True, False]
    assert people.conflict(np.array([3, 4, 1]), np.array([4, 3, 2])).tolist() == [False, False, False]


def test_similarity_is_scaled_down_between_reports_about_different_people():
    from newsroom.cluster.similarity import ArticleFeatures, SimilarityModel

    base = _without_years(ORIGINAL)
    people = [_people("Kim Jong Un") * 3, _people("Kim Jong Un") * 3, _people("Yoon Suk Yeol") * 3, []]
    pair_model = _pair_model()
    model = SimilarityModel.of_articles([ArticleFeatures(str(i), base, p) for i, p in enumerate(people)], pair_model)

    def product(a, b):  # the vectors' dot product, unscaled
        return (model.combined[model.index[a]] @ model.combined[model.index[b]].T).toarray()[0, 0]

    same, other, unknown = model.similarity("0", ["1", "2", "3"])
    assert abs(same - product("0", "1")) < 1e-9 and abs(unknown - product("0", "3")) < 1e-9
    assert abs(other - pair_model.protagonist_conflict * product("0", "2")) < 1e-9
    assert abs(model.pair_similarity("0", "2") - other) < 1e-9
    # story centroids still give the exact average link when some of their pairs conflict
    texts = [_without_years(t) for t in (ORIGINAL, REWRITE, UNRELATED, ORIGINAL[: len(ORIGINAL) // 2], REWRITE[::-1])]
    model = SimilarityModel.of_articles(
        [ArticleFeatures(str(i), t, people[i % 4]) for i, t in enumerate(texts)], pair_model
    )
    for left, right in ((["0", "1"], ["2", "3", "4"]), (["2"], ["0", "4", "1"])):
        by_members = stories._story_link(left, right, model.similarity)
        assert abs(by_members - model.centroid_similarity(model.centroid(left), model.centroid(right))) < 1e-9


def test_copy_candidates_are_those_datasketch_lsh_finds():
    """The banded signature comparison over the stored array finds, for each new article,
    exactly the articles datasketch's MinHashLSH (same threshold, same bands) returns."""
    from datasketch import MinHash, MinHashLSH

    from newsroom.cluster.features import NUM_PERM, _prototype
    from newsroom.cluster.similarity import ArticleFeatures, corpus_of
    from newsroom.cluster.stage import COPY_LSH_THRESHOLD, _copy_candidates

    half = ORIGINAL[: len(ORIGINAL) // 2]
    texts = [ORIGINAL, REWRITE, UNRELATED, half, half + " A late paragraph.", UNRELATED.replace("bus", "tram"), ""]
    ids = [f"a{i}" for i in range(len(texts))]
    corpus = corpus_of([ArticleFeatures(a, t, []) for a, t in zip(ids, texts, strict=True)])
    lsh = MinHashLSH(threshold=COPY_LSH_THRESHOLD, num_perm=NUM_PERM)
    scheme = _prototype().scheme
    sketches = {
        a: MinHash(num_perm=NUM_PERM, hashvalues=sig, scheme=scheme)
        for a, sig in zip(ids, corpus.signatures, strict=True)
    }
    for article_id, sketch in sketches.items():
        lsh.insert(article_id, sketch)
    new = {"a0", "a3", "a5", "a6"}
    found = _copy_candidates(corpus, new)
    assert found == {a: set(lsh.query(sketches[a])) - {a} for a in new}
    assert "a4" in found["a3"] and "a2" in found["a5"] and not found["a0"] & {"a2", "a5"}


def test_features_stored_before_years_and_numbers_are_completed_once(tmp_path):
    """A warehouse whose feature rows predate the years and numbers columns gets those
    computed for each such article (found by articles_without_features), in place."""
    from newsroom.cluster.features import text_features
    from newsroom.load import stories as stories_store
    from newsroom.load import warehouse

    con = warehouse.connect(tmp_path / "old.duckdb")
    warehouse.ensure_schema(con)
    text = "On March 4, 2009 the quake killed 12 people in 300 homes."
    con.execute(
        """insert into landing.articles (article_id, external_id, source_path, input_format, body_text, word_count,
                                         run_id, loaded_at)
           values ('a', 'a', 'a.txt', 'txt', ?, 11, 'r', now())""",
        [text],
    )
    warehouse.insert_features(con, [("a", text_features(text))])
    assert stories_store.articles_without_features(con) == []
    con.execute("alter table landing.article_features drop column years_named")
    con.execute("alter table landing.article_features drop column event_numbers")
    warehouse.ensure_schema(con)  # what every run does first: the columns come back empty
    assert stories_store.articles_without_features(con) == [("a", text)]
    warehouse.insert_features(con, [(a, text_features(t)) for a, t in stories_store.articles_without_features(con)])
    assert con.execute("select article_id, years_named, event_numbers from landing.article_features").fetchall() == [
        ("a", [2009], ["4", "12", "300"])
    ]
    assert stories_store.articles_without_features(con) == []
    con.close()


def test_a_keyed_features_table_of_an_older_warehouse_is_rebuilt_unkeyed_with_its_rows(tmp_path):
    from newsroom.cluster.features import text_features
    from newsroom.load import warehouse

    con = warehouse.connect(tmp_path / "old.duckdb")
    con.execute("create schema landing")
    con.execute("""create table landing.article_features (article_id varchar primary key,
                   sentence_stems varchar[] not null, shingles uinteger[] not null, signature ubigint[] not null)""")
    con.execute("insert into landing.article_features values ('a', ['quak kill'], [1, 2], [3])")
    warehouse.ensure_schema(con)
    keys = "select count(*) from duckdb_constraints() where table_name = 'article_features' and constraint_type = 'PRIMARY KEY'"
    assert con.execute(keys).fetchone()[0] == 0
    assert con.execute("select article_id, sentence_stems, years_named from landing.article_features").fetchall() == [
        ("a", ["quak kill"], None)
    ]
    warehouse.insert_features(con, [("a", text_features("The quake killed 12.")), ("b", text_features("Other."))])
    assert con.execute("select article_id, event_numbers from landing.article_features order by 1").fetchall() == [
        ("a", ["12"]),
        ("b", []),
    ]
    con.close()


def test_tfidf_from_counts_is_the_vectorizers():
    """The weights computed from term counts are scikit-learn's TfidfVectorizer's
    (sublinear tf, smoothed idf, l2 rows), the lead block weighed by the whole text's idf."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from newsroom.cluster import terms

    docs = [["quak", "kill", "quak", "seoul"], ["bus", "rout", "fare"], [], ["quak", "bus"], ["kill"] * 5]
    leads = [d[:2] for d in docs]
    vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True)
    expected = vectorizer.fit_transform(docs)
    columns = terms.vocabulary_of(docs)
    weighted, idf = terms.tfidf(terms.from_tokens(docs, columns))
    assert np.allclose(weighted.toarray(), expected.toarray(), rtol=0, atol=1e-15)
    assert np.allclose(idf, vectorizer.idf_)
    lead, _ = terms.tfidf(terms.from_tokens(leads, columns), idf, width=len(columns))
    assert np.allclose(normalize(lead).toarray(), normalize(vectorizer.transform(leads)).toarray(), atol=1e-15)
    empty, _ = terms.tfidf(terms.from_tokens([[], []]))
    assert empty.shape == (2, 1) and empty.nnz == 0
