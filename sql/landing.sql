-- Landing tables: what the Python stages write. dbt reads them as sources
-- (dbt_project/models/staging/_sources.yml describes every column).
-- Rows are only ever inserted for new article_ids, in one transaction per batch, so a
-- re-run adds nothing and an interrupted run leaves whole articles or none.
create schema if not exists landing;

create table if not exists landing.articles (
    article_id varchar primary key,
    external_id varchar not null,
    source_path varchar not null,
    input_format varchar not null,
    url varchar,
    title varchar,
    published_date date,
    outlet varchar,
    wire_agency varchar,
    byline varchar,
    dateline varchar,
    body_text varchar not null,
    word_count integer not null,
    encoding varchar,
    encoding_guessed boolean not null default false,
    extraction_method varchar,
    quality_flags varchar[],
    run_id varchar not null,
    loaded_at timestamp not null,
    language varchar,        -- ISO 639-1, detected from the body; null: undetermined
    fetched_at timestamp     -- when the page was fetched (collected or WARC input)
);
-- warehouses created before language detection and collection
alter table landing.articles add column if not exists language varchar;
alter table landing.articles add column if not exists fetched_at timestamp;

create table if not exists landing.entity_mentions (
    article_id varchar not null,
    mention_index integer not null,
    start_char integer not null,
    end_char integer not null,
    mention_text varchar not null,
    label varchar not null,
    canonical_name varchar not null,
    primary key (article_id, mention_index)
);

create table if not exists landing.quotes (
    article_id varchar not null,
    quote_index integer not null,
    start_char integer not null,
    end_char integer not null,
    quote_text varchar not null,
    quote_type varchar not null,
    cue_text varchar,
    cue_start integer,
    speaker_text varchar,
    speaker_mention_text varchar,
    speaker_start integer,
    speaker_end integer,
    speaker_kind varchar not null,
    speaker_canonical varchar,
    speaker_affiliation varchar,
    primary key (article_id, quote_index)
);

-- Spans naming a place (a GPE/LOC entity mention, or the dateline's city: role) and the
-- GeoNames place each resolves to (annotate/places.py); unresolved: place_id null, status why.
create table if not exists landing.place_mentions (
    article_id varchar not null,
    start_char integer not null,
    end_char integer not null,
    mention_text varchar not null,
    role varchar not null,             -- mention | dateline
    place_id bigint,                   -- GeoNames id
    status varchar not null,           -- resolved | ambiguous | not_in_gazetteer | person_name
    candidate_count integer not null,  -- gazetteer places with this name
    primary key (article_id, start_char, role)
);

-- The GeoNames places some article names, as the gazetteer describes them.
create table if not exists landing.places (
    place_id bigint primary key,
    name varchar not null,
    feature varchar not null,          -- continent | country | admin1 | city
    country_code varchar,
    admin1_code varchar,
    latitude double,
    longitude double,
    population bigint,
    country_name varchar,
    admin1_name varchar                -- a US state's name (the only admin1 names shipped)
);

-- Evidence that one article copies or rewrites another, or covers the same event.
create table if not exists landing.article_links (
    article_id varchar not null,   -- the later (derived) article
    linked_article_id varchar not null,   -- the earlier article it is linked to
    relation varchar not null,   -- copy | rewrite | same_story
    shingle_jaccard double,
    sentence_alignment double,
    entity_overlap double,
    text_similarity double,
    run_id varchar not null,
    primary key (article_id, linked_article_id)
);

-- Story membership is state, not a pure function of today's input: ids must survive
-- re-runs and additions, so they are stored and only ever extended or merged.
create table if not exists landing.story_members (
    article_id varchar primary key,
    story_id varchar not null,
    assigned_run_id varchar not null,
    assigned_at timestamp not null
);

create table if not exists landing.story_merges (
    merged_story_id varchar primary key,
    surviving_story_id varchar not null,
    run_id varchar not null,
    merged_at timestamp not null
);

-- What clustering needs of each article on its own (cluster/features.py), computed by the
-- annotation workers and kept, so that a run's clustering stage only compares and assigns.
-- No primary key: with one, DuckDB's checkpoint after appending 30 rows to 20,000 took
-- 1.3-1.7 s against 0.02 s without (2026-12-03). load/warehouse.insert_features keeps one
-- row an article, and dbt's source test checks it.
create table if not exists landing.article_features (
    article_id varchar not null,
    sentence_stems varchar[] not null,
    shingles uinteger[] not null,
    signature ubigint[] not null
);
-- added later: the years a text names and its numbers (cluster/features.py); null on rows
-- stored before, which the clustering stage computes again
alter table landing.article_features add column if not exists years_named smallint[];
alter table landing.article_features add column if not exists event_numbers varchar[];
-- and each one's stem counts, as ids of landing.stems: the whole text's and its lead's (first
-- three sentences), ids ascending (load/warehouse.index_stems; null until it has run)
alter table landing.article_features add column if not exists stem_ids integer[];
alter table landing.article_features add column if not exists stem_counts integer[];
alter table landing.article_features add column if not exists lead_ids integer[];
alter table landing.article_features add column if not exists lead_counts integer[];

-- Every stem the stored articles use, numbered in order of first arrival: what the stem
-- counts of article_features refer to, and the vocabulary of clustering's TF-IDF.
create table if not exists landing.stems (
    stem varchar not null,
    stem_id integer not null
);
-- its predecessor held the signatures alone; the clustering stage recomputes what is missing
drop table if exists landing.article_signatures;
