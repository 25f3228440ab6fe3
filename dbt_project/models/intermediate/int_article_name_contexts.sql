-- One row per article with entity mentions: a digest of the full names its story gives its
-- one-word persons (int_story_person_names). The incremental models built on those names
-- (int_entity_mentions, int_quotes) keep the digest each article's rows were built under and
-- rebuild an article's rows when it differs.
with articles as (
    select distinct article_id from {{ ref('stg_entity_mentions') }}
    union
    select distinct article_id from {{ ref('stg_quotes') }}
),

full_names as (select * from {{ ref('int_story_person_names') }}),

digests as (
    select
        article_id,
        {{ short_id("string_agg(short_name || '=' || full_name, '|' order by short_name)") }} as name_context
    from full_names
    group by article_id
),

final as (
    select
        articles.article_id,
        -- an article none of whose one-word persons has a full name: one digest for all
        coalesce(digests.name_context, '') as name_context
    from articles
    left join digests using (article_id)
)

select * from final
