-- Operational record: every run, and every input that could not be loaded and why.
create schema if not exists ops;

create table if not exists ops.runs (
    run_id varchar primary key,
    flow_run_id varchar,
    started_at timestamp not null,
    finished_at timestamp,
    status varchar not null,     -- running | success | failed
    input_path varchar,
    files_seen integer default 0,
    articles_loaded integer default 0,
    articles_skipped integer default 0,   -- content already in the warehouse
    rejected_inputs integer default 0,
    stories_created integer default 0,
    stories_updated integer default 0,
    stage_seconds varchar,             -- JSON object: stage -> seconds
    error varchar
);
-- which dbt project (hash of its files) built the marts of a successful run
alter table ops.runs add column if not exists dbt_fingerprint varchar;

create table if not exists ops.rejected_inputs (
    source_path varchar not null,
    reason varchar not null,
    detail varchar,
    content_sha varchar,
    run_id varchar not null,
    seen_at timestamp not null
);

-- Every input file (or JSON Lines record) seen, and what became of it: the ledger
-- that lets a scheduled run skip what it has seen and an analyst trace any article.
create table if not exists ops.input_files (
    source_path varchar not null,
    article_id varchar,
    status varchar not null,   -- loaded | duplicate | rejected
    run_id varchar not null,
    seen_at timestamp not null
);

-- Collection (flows/newsroom/collect): the state of every configured feed and sitemap, kept
-- between runs (conditional GET validators, consecutive failures), one row a feed.
create table if not exists ops.feeds (
    feed_url varchar primary key,
    outlet varchar not null,
    kind varchar not null,             -- feed | sitemap
    etag varchar,
    last_modified varchar,
    last_fetched_at timestamp,
    last_success_at timestamp,
    last_status integer,               -- HTTP status of the last fetch (304: not modified)
    items_seen integer not null default 0,
    new_items integer not null default 0,
    consecutive_failures integer not null default 0,
    last_error varchar,
    run_id varchar not null
);

-- Every HTTP request the collect stage made (robots.txt, feeds, sitemaps, pages) and its outcome.
create table if not exists ops.fetches (
    url varchar not null,              -- as requested, normalised
    kind varchar not null,             -- robots | feed | sitemap | page
    outlet varchar not null,
    final_url varchar,                 -- after redirects
    status integer,                    -- null: no response (timeout, refused, robots.txt)
    nbytes bigint not null default 0,
    milliseconds integer not null default 0,
    attempts integer not null default 0,
    error varchar,                     -- reason code; null: fetched
    detail varchar,
    fetched_at timestamp not null,
    run_id varchar not null
);
