-- The places each story is about, ranked: named in an article's dateline or lead, or by
-- most of the story's articles. A place named once deep in one article of ten is not.
-- Ranked by articles naming it in the lead, by articles naming it, then by how early.
{% set lead_chars = 500 %}  {# about a news lead's first paragraph #}

with articles as (
    select
        article_id,
        story_id
    from {{ ref('articles') }}
),

mentions as (
    select * from {{ ref('place_mentions') }}
    where place_id is not null
),

places as (select * from {{ ref('places') }}),

story_size as (
    select
        story_id,
        count(*) as article_count
    from articles
    group by story_id
),

-- one row per article and place it names
article_places as (
    select
        article_id,
        place_id,
        count(*) as mention_count,
        bool_or(mention_role = 'dateline' or start_char < {{ lead_chars }}) as in_lead,
        -- how early the article names it (the dateline aside: where a story is filed from is
        -- not what it is about)
        min(start_char) filter (where mention_role = 'mention') as first_offset
    from mentions
    group by article_id, place_id
),

coverage as (
    select
        articles.story_id,
        article_places.place_id,
        count(*) as articles_naming,
        count(*) filter (where article_places.in_lead) as lead_articles,
        sum(article_places.mention_count) as mention_count,
        avg(article_places.first_offset) as mean_first_offset
    from article_places
    inner join articles using (article_id)
    group by articles.story_id, article_places.place_id
),

about as (
    select coverage.*
    from coverage
    inner join story_size using (story_id)
    where coverage.lead_articles > 0 or 2 * coverage.articles_naming > story_size.article_count
),

final as (
    select
        about.story_id,
        about.place_id,
        places.place_name,
        places.place_type,
        places.country_code,
        places.country_name,
        about.articles_naming,
        about.lead_articles,
        about.mention_count,
        row_number() over (
            partition by about.story_id
            order by
                about.lead_articles desc, about.articles_naming desc, about.mean_first_offset asc nulls last,
                about.mention_count desc, about.place_id asc
        ) as place_rank
    from about
    inner join places using (place_id)
)

select * from final
