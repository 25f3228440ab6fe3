-- One row per GeoNames place the articles name, with how often and under which names.
with places as (select * from {{ ref('stg_places') }}),

mentions as (
    select * from {{ ref('place_mentions') }}
    where place_id is not null
),

articles as (
    select
        article_id,
        published_date
    from {{ ref('articles') }}
),

usage as (
    select
        mentions.place_id,
        count(*) as mention_count,
        count(distinct mentions.article_id) as article_count,
        count(distinct mentions.article_id) filter (where mentions.mention_role = 'dateline') as dateline_count,
        list(distinct mentions.mention_text order by mentions.mention_text) as aliases,
        min(articles.published_date) as first_named,
        max(articles.published_date) as last_named
    from mentions
    inner join articles using (article_id)
    group by mentions.place_id
),

final as (
    select
        places.place_id,
        places.place_name,
        places.place_type,
        places.country_code,
        places.country_name,
        places.admin1_code,
        places.admin1_name,
        places.latitude,
        places.longitude,
        places.population,
        usage.mention_count,
        usage.article_count,
        usage.dateline_count,
        usage.aliases,
        usage.first_named,
        usage.last_named
    from places
    inner join usage using (place_id)
)

select * from final
