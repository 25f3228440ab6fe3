-- Who publishes (outlets) and whose copy they carry (wire agencies).
with articles as (select * from {{ ref('articles') }}),

credits as (
    select
        outlet as name,
        'outlet' as source_type,
        article_id,
        syndication
    from articles
    where outlet is not null
    union all
    select
        wire_agency as name,
        'wire_agency' as source_type,
        article_id,
        syndication
    from articles
    where wire_agency is not null
),

final as (
    select
        {{ short_id("source_type || ':' || lower(name)") }} as source_id,
        min(name) as name,
        source_type,
        count(distinct article_id) as article_count,
        count(distinct article_id) filter (where syndication = 'original') as original_count,
        count(distinct article_id) filter (where syndication = 'copy') as copy_count,
        count(distinct article_id) filter (where syndication = 'rewrite') as rewrite_count
    from credits
    group by source_type, lower(name)
)

select * from final
