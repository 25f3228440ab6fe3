-- One row per story: the articles about one event, with who covered it and who was first.
with articles as (select * from {{ ref('articles') }}),

mentions as (
    select
        article_id,
        entity_id
    from {{ ref('entity_mentions') }}
),

entities as (
    select
        entity_id,
        canonical_name
    from {{ ref('entities') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by story_id
            order by {{ first_carried_order() }}
        ) as position,
        row_number() over (
            partition by story_id
            order by title is null, case syndication when 'original' then 0 else 1 end, published_date nulls last, article_id
        ) as headline_rank
    from articles
),

first_article as (
    select
        story_id,
        article_id as first_article_id,
        outlet as first_outlet
    from ranked
    where position = 1
),

headline as (
    select
        story_id,
        coalesce(title, regexp_extract(body_text, '^(.{1,160}?[.!?])(\s|$)', 1), left(body_text, 120)) as headline
    from ranked
    where headline_rank = 1
),

-- the five entities named by most of the story's articles: what the story is about at a glance
entity_coverage as (
    select
        articles.story_id,
        entities.canonical_name,
        count(distinct mentions.article_id) as articles_naming,
        count(*) as mention_count
    from mentions
    inner join articles using (article_id)
    inner join entities using (entity_id)
    group by articles.story_id, entities.canonical_name
),

entity_rank as (
    select
        *,
        row_number()
            over (partition by story_id order by articles_naming desc, mention_count desc, canonical_name asc)
            as entity_rank
    from entity_coverage
),

top_entities as (
    select
        story_id,
        list(canonical_name order by entity_rank) as top_entities
    from entity_rank
    where entity_rank <= 5
    group by story_id
),

-- the country of the story's best-ranked place that has one (see story_places)
main_country as (
    select
        story_id,
        arg_min(country_code, place_rank) as main_country_code,
        arg_min(country_name, place_rank) as main_country_name
    from {{ ref('story_places') }}
    where country_code is not null
    group by story_id
),

counts as (
    select
        story_id,
        count(*) as article_count,
        min(published_date) as first_published,
        max(published_date) as last_published,
        count(distinct outlet) as outlet_count,
        list(distinct outlet order by outlet) filter (where outlet is not null) as outlets,
        count(*) filter (where syndication = 'original') as original_count,
        count(*) filter (where syndication = 'copy') as copy_count,
        count(*) filter (where syndication = 'rewrite') as rewrite_count
    from articles
    group by story_id
),

final as (
    select
        counts.story_id,
        headline.headline,
        counts.article_count,
        counts.first_published,
        counts.last_published,
        counts.outlet_count,
        counts.outlets,
        first_article.first_article_id,
        first_article.first_outlet,
        counts.original_count,
        counts.copy_count,
        counts.rewrite_count,
        coalesce(top_entities.top_entities, []) as top_entities,
        main_country.main_country_code,
        main_country.main_country_name
    from counts
    inner join headline using (story_id)
    inner join first_article using (story_id)
    left join top_entities using (story_id)
    left join main_country using (story_id)
)

select * from final
