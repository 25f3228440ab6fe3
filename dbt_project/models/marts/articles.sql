with articles as (select * from {{ ref('stg_articles') }}),

lineage as (select * from {{ ref('int_article_lineage') }}),

stories as (select * from {{ ref('stg_story_members') }}),

-- the place of reporting: the dateline's city, resolved (see place_mentions)
reporting_places as (
    select
        article_id,
        place_id as dateline_place_id
    from {{ ref('stg_place_mentions') }}
    where mention_role = 'dateline'
),

final as (
    select
        articles.article_id,
        articles.external_id,
        articles.source_path,
        articles.input_format,
        articles.url,
        articles.title,
        articles.published_date,
        articles.outlet,
        articles.wire_agency,
        articles.byline,
        articles.dateline,
        reporting_places.dateline_place_id,
        articles.body_text,
        articles.word_count,
        stories.story_id,
        lineage.syndication,
        lineage.derived_from_article_id,
        articles.encoding,
        articles.encoding_guessed,
        articles.extraction_method,
        articles.language,
        articles.fetched_at,
        articles.quality_flags,
        articles.loaded_run_id,
        articles.loaded_at
    from articles
    left join lineage using (article_id)
    left join stories using (article_id)
    left join reporting_places using (article_id)
)

select * from final
