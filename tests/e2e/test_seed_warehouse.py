"""End to end on the two seed articles: the flow, dbt build (with its tests), and the marts
checked with SQL, point by point. The second run goes through the `newsroom` command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLE, SEED_FURNITURE

TABLES = [
    "marts.articles",
    "marts.sources",
    "marts.entities",
    "marts.entity_mentions",
    "marts.quotes",
    "marts.quote_groups",
    "marts.stories",
    "marts.article_links",
    "marts.places",
    "marts.place_mentions",
    "marts.story_places",
    "landing.articles",
    "landing.entity_mentions",
    "landing.quotes",
    "landing.story_members",
    "landing.place_mentions",
    "landing.places",
    "ops.rejected_inputs",
    "ops.input_files",
]


@dataclass
class SeedWarehouse:
    path: Path
    first: dict
    counts_first: dict
    counts_second: dict
    cli_output: str
    cli_errors: str

    def query(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def one(self, sql: str, params=None):
        rows = self.query(sql, params)
        assert len(rows) == 1, rows
        return rows[0]


def _counts(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def seed(prefect_harness, tmp_path_factory) -> SeedWarehouse:
    from newsroom.pipeline import ingest

    path = tmp_path_factory.mktemp("seed") / "news.duckdb"
    first = ingest(input_path=str(SAMPLE), warehouse_path=str(path))
    counts_first = _counts(path)
    # An analyst holds the published warehouse open (read-only) through the whole second run.
    reader = duckdb.connect(str(path), read_only=True)
    before = reader.execute("select count(*) from marts.articles").fetchone()[0]
    env = {**os.environ, "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home"))}
    env.pop("PREFECT_API_URL", None)  # the command runs as a user would: its own local API
    cli = subprocess.run(
        [str(Path(sys.executable).with_name("newsroom")), "run", "--input", str(SAMPLE), "--warehouse", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    still_reading = reader.execute("select count(*) from marts.articles").fetchone()[0]
    reader.close()
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert before == still_reading == 2
    return SeedWarehouse(path, first, counts_first, _counts(path), cli.stdout, cli.stderr)


def _article(seed: SeedWarehouse, external_id: str) -> dict:
    con = duckdb.connect(str(seed.path), read_only=True)
    try:
        cursor = con.execute("select * from marts.articles where external_id = ?", [external_id])
        names = [d[0] for d in cursor.description]
        (row,) = cursor.fetchall()
        return dict(zip(names, row, strict=True))
    finally:
        con.close()


ORIGINAL, REWRITE = "000_7f6db8f0b9f32e1f", "002_d280f2439bfbc428"


def test_first_run_loads_both_articles(seed):
    assert seed.first["status"] == "success"
    assert seed.first["articles_loaded"] == 2 and seed.first["rejected_inputs"] == 0


def test_both_articles_are_one_story_published_on_the_same_day(seed):
    rows = seed.query("select story_id, published_date::varchar from marts.articles")
    assert len(rows) == 2
    assert len({r[0] for r in rows}) == 1
    assert {r[1] for r in rows} == {"2022-09-22"}
    story_id, article_count, first_published = seed.one(
        "select story_id, article_count, first_published::varchar from marts.stories"
    )
    assert story_id == rows[0][0] and article_count == 2 and first_published == "2022-09-22"


def test_the_story_names_its_top_entities(seed):
    (top,) = seed.one("select top_entities from marts.stories")
    assert 3 <= len(top) <= 5 and len(set(top)) == len(top)
    assert top[0] == "North Korea" and "Russia" in top


def test_places_have_one_key_per_place_and_the_story_its_country(seed):
    (aliases, place_type, country) = seed.one(
        "select aliases, place_type, country_code from marts.places where place_name = 'North Korea'"
    )
    assert {"North Korea", "DPRK"} <= set(aliases) and (place_type, country) == ("country", "KP")
    assert seed.one("select main_country_code, main_country_name from marts.stories") == ("KP", "North Korea")
    (entity_place,) = seed.one("select place_id from marts.entities where canonical_name = 'North Korea'")
    assert entity_place == seed.one("select place_id from marts.places where place_name = 'North Korea'")[0]
    top = seed.query("select place_name from marts.story_places where place_rank <= 3 order by place_rank")
    assert top[0] == ("North Korea",) and ("Russia",) in top
    # the AP story was filed from Seoul: its dateline is the place of reporting
    (seoul,) = seed.one("select place_id from marts.places where place_name = 'Seoul' and dateline_count >= 1")
    assert seed.one("select count(*) from marts.articles where dateline_place_id = ?", [seoul])[0] >= 1
    bad = seed.query("""
        select m.mention_text from marts.place_mentions m join marts.articles a using (article_id)
        where m.mention_role = 'mention'
          and substr(a.body_text, m.start_char + 1, m.end_char - m.start_char) <> m.mention_text""")
    assert bad == []
    unresolved = seed.query(
        "select resolution_status from marts.place_mentions where place_id is null and resolution_status = 'resolved'"
    )
    assert unresolved == []


def test_every_quote_belongs_to_a_group_that_names_its_first_carrier(seed):
    orphans = seed.query("""select quote_id from marts.quotes
                            where quote_group_id not in (select quote_group_id from marts.quote_groups)""")
    assert orphans == []
    groups = seed.query("""select g.article_count, g.quote_count, g.first_article_id in (select article_id from marts.articles),
                                  g.quote_text = q.quote_text
                           from marts.quote_groups g join marts.quotes q using (quote_group_id)""")
    assert groups and all(
        articles >= 1 and quotes >= articles and known and same for articles, quotes, known, same in groups
    )


def test_original_body_is_the_story_without_page_furniture(seed):
    body = _article(seed, ORIGINAL)["body_text"]
    assert body.startswith("North Korea says it hasn't exported") or body.startswith("North Korea denies")
    for furniture in SEED_FURNITURE:
        assert furniture not in body


def test_original_metadata(seed):
    article = _article(seed, ORIGINAL)
    assert article["outlet"] == "Business Standard"
    assert article["wire_agency"] == "AP"
    assert article["dateline"] == "Seoul"
    assert article["syndication"] == "original" and article["derived_from_article_id"] is None


def test_rewrite_derives_from_the_credited_original(seed):
    original, rewrite = _article(seed, ORIGINAL), _article(seed, REWRITE)
    assert rewrite["syndication"] == "rewrite"
    assert rewrite["derived_from_article_id"] == original["article_id"]
    relation, alignment = seed.one(
        "select relation, sentence_alignment from marts.article_links where article_id = ? and linked_article_id = ?",
        [rewrite["article_id"], original["article_id"]],
    )
    assert relation == "rewrite" and alignment >= 0.5


@pytest.mark.parametrize(
    "variants",
    [
        ["North Korea", "North Korea's", "DPRK", "Democratic People's Republic of Korea"],
        ["US", "U.S.", "the United States"],
    ],
)
def test_entity_variants_are_one_entity(seed, variants):
    ids = set()
    for variant in variants:
        surface = variant.removeprefix("the ").removesuffix("'s")
        rows = seed.query(
            """
            select distinct m.entity_id from marts.entity_mentions m
            where replace(m.mention_text, '’', '''') = ?""",
            [surface],
        )
        assert rows, f"no mention of {variant!r}"
        ids |= {r[0] for r in rows}
    assert len(ids) == 1, ids
    (aliases,) = seed.one("select aliases from marts.entities where entity_id = ?", [ids.pop()])
    assert len(aliases) >= 2


def test_mention_offsets_point_into_the_body(seed):
    bad = seed.query("""
        select m.mention_text, substr(a.body_text, m.start_char + 1, m.end_char - m.start_char)
        from marts.entity_mentions m join marts.articles a using (article_id)
        where substr(a.body_text, m.start_char + 1, m.end_char - m.start_char) <> m.mention_text""")
    assert bad == []
    # A quote interrupted by its attribution spans both pieces; its text is the pieces joined.
    bad_quotes = seed.query("""
        with spans as (
            select q.quote_text, substr(a.body_text, q.start_char + 1, q.end_char - q.start_char) as span
            from marts.quotes q join marts.articles a using (article_id)
        )
        select quote_text, span from spans
        where not (starts_with(span, left(quote_text, 20)) and ends_with(span, right(quote_text, 20)))""")
    assert bad_quotes == []


@pytest.mark.parametrize("fragment", ["keep its mouth shut", "We have never exported weapons or ammunition to Russia"])
def test_quotes_are_attributed_to_the_north_korean_official(seed, fragment):
    speaker, kind = seed.one(
        """
        select q.speaker_text, q.speaker_kind from marts.quotes q join marts.articles a using (article_id)
        where a.external_id = ? and contains(q.quote_text, ?)""",
        [ORIGINAL, fragment],
    )
    assert "official" in speaker.lower() and speaker.lower() not in ("he", "the official")
    assert "north korean" in speaker.lower()
    assert kind == "anonymous_official"


def test_sources_hold_the_outlet_and_the_agency(seed):
    rows = set(seed.query("select name, source_type from marts.sources"))
    assert ("Business Standard", "outlet") in rows and ("AP", "wire_agency") in rows


def test_rerun_changes_no_row_count_and_both_runs_are_recorded(seed):
    assert seed.counts_second == seed.counts_first
    runs = seed.query(
        "select status, articles_loaded, articles_skipped, finished_at is not null from ops.runs order by started_at"
    )
    assert runs == [("success", 2, 0, True), ("success", 0, 2, True)]


def test_command_prints_a_summary(seed):
    out = seed.cli_output
    assert "0 new articles, 2 already loaded" in out
    for line in ("articles", "stories", "entities", "quotes", "rejected inputs"):
        assert line in out


def test_command_off_a_terminal_prints_plain_stage_lines_without_prefect_noise(seed):
    lines = seed.cli_errors.splitlines()
    stages = [line for line in lines if line.startswith("newsroom: ")]
    assert stages[0].startswith("newsroom: starting the flow")
    assert [s for s in stages if "discover" in s or "read, extract" in s or "cluster" in s or "published" in s]
    assert any("dbt build skipped" in s for s in stages)  # the re-run: nothing new
    assert "\r" not in seed.cli_errors and "anonymous usage" not in seed.cli_errors
    assert all(line.startswith("newsroom: ") for line in lines), seed.cli_errors  # nothing else on stderr


def test_a_copy_under_another_name_answers_every_view(seed, tmp_path):
    """An analyst's snapshot (`cp news.duckdb snapshot.duckdb`) queries as the original: the
    views (marts.quotes, marts.entity_mentions, staging) name no database. Before, each named
    `news` and failed in the copy ('Catalog "news" does not exist')."""
    snapshot = tmp_path / "snapshot.duckdb"
    shutil.copyfile(seed.path, snapshot)
    original, copy = duckdb.connect(str(seed.path), read_only=True), duckdb.connect(str(snapshot), read_only=True)
    try:
        views = copy.execute("select schema_name, view_name from duckdb_views() where not internal").fetchall()
        assert ("marts", "quotes") in views and ("marts", "entity_mentions") in views
        for schema, name in views:
            query = f"select count(*) from {schema}.{name}"
            assert copy.execute(query).fetchone() == original.execute(query).fetchone(), f"{schema}.{name}"
    finally:
        original.close()
        copy.close()


def test_every_model_and_column_is_described(seed):
    """Compare the columns that exist in the warehouse with the dbt YAML descriptions."""
    import yaml

    described: dict[str, dict[str, str]] = {}
    model_descriptions: dict[str, str] = {}
    for path in (ROOT / "dbt_project" / "models").rglob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            model_descriptions[model["name"]] = model.get("description", "")
            described[model["name"]] = {c["name"]: c.get("description", "") for c in model.get("columns", [])}
    relations = seed.query("""
        select table_schema, table_name, column_name from information_schema.columns
        where table_schema in ('staging', 'intermediate', 'marts')""")
    assert {r[0] for r in relations} == {"staging", "intermediate", "marts"}
    missing = [
        f"{schema}.{table}.{column}"
        for schema, table, column in relations
        if not described.get(table, {}).get(column, "").strip()
    ]
    assert missing == []
    assert all(model_descriptions[table].strip() for _, table, _ in relations)


@pytest.mark.parametrize("query", sorted((ROOT / "sql" / "examples").glob("*.sql")), ids=lambda p: p.stem)
def test_analyst_example_queries_return_rows(seed, query):
    rows = seed.query(query.read_text())
    assert rows, f"{query.name} returned no rows"


def test_every_example_query_is_a_dbt_exposure_reading_the_marts_it_queries():
    import re

    import yaml

    exposures = {
        e["name"]: e
        for e in yaml.safe_load((ROOT / "dbt_project" / "models" / "exposures.yml").read_text())["exposures"]
    }
    for query in (ROOT / "sql" / "examples").glob("*.sql"):
        exposure = exposures[query.stem]
        assert exposure["description"] == f'{{{{ doc("example_{query.stem}") }}}}'
        read = set(re.findall(r"\bmarts\.(\w+)", query.read_text()))
        assert read == {re.match(r"ref\('(\w+)'\)", d).group(1) for d in exposure["depends_on"]}, query.name


def test_example_doc_blocks_carry_each_query_as_committed():
    from newsroom.model import examples

    text = examples.DOC_BLOCKS.read_text()
    assert text == examples.render(), (
        "sql/examples changed: `newsroom docs` rewrites dbt_project/docs/example_queries.md"
    )
    for query in examples.queries():
        assert query.read_text().strip() in text


def _command(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_newsroom_sql_runs_an_example_query_with_and_without_its_date_range(seed):
    query = str(ROOT / "sql" / "examples" / "top_entities_in_date_range.sql")
    newsroom = str(Path(sys.executable).with_name("newsroom"))
    default = _command(newsroom, "sql", query, "--warehouse", str(seed.path), "--csv")
    assert default.returncode == 0, default.stderr
    header, *rows = default.stdout.splitlines()
    assert header == "canonical_name,entity_type,mentions,articles" and rows
    (day,) = seed.one("select max(published_date) from marts.articles")

    def between(start, end) -> subprocess.CompletedProcess:
        return _command(newsroom, "sql", query, "--warehouse", str(seed.path), "--csv",
                        "--param", f"start_date={start}", "--param", f"end_date={end}")  # fmt: skip

    same_day = between(day, day)
    assert same_day.stdout.splitlines()[1:] == rows
    long_ago = between("1990-01-01", "1990-12-31")
    assert long_ago.returncode == 0 and long_ago.stdout.splitlines() == [header]
    table = _command(
        newsroom, "sql", "-", "--warehouse", str(seed.path), stdin="select count(*) as n from marts.articles"
    )
    assert table.returncode == 0 and re.search(r"│\s+2\s+│", table.stdout), table.stdout
    broken = _command(newsroom, "sql", "-", "--warehouse", str(seed.path), stdin="select nothing from nowhere")
    assert (
        broken.returncode == 1
        and broken.stderr.startswith("newsroom: the query failed")
        and "Traceback" not in broken.stderr
    )


def test_the_duckdb_cli_installed_by_make_opens_the_published_warehouse(seed):
    cli = str(Path(sys.executable).with_name("duckdb"))
    counted = _command(cli, "-readonly", "-csv", str(seed.path), "-c", "select count(*) as n from marts.articles")
    assert counted.returncode == 0 and counted.stdout.split() == ["n", "2"], counted.stdout + counted.stderr
    query = (ROOT / "sql" / "examples" / "stories_by_outlet_count.sql").read_text()
    example = _command(cli, "-readonly", "-csv", str(seed.path), stdin=query)
    assert example.returncode == 0 and len(example.stdout.splitlines()) == 2, example.stdout + example.stderr
