-- One row per quotation as the warehouse carries it: the same words (case, punctuation and
-- quote marks folded) in several articles, who carried them first and how widely.
with quotes as (select * from {{ ref('quotes') }}),

articles as (
    select
        article_id,
        outlet,
        published_date,
        syndication,
        loaded_at
    from {{ ref('articles') }}
),

carried as (
    select
        quotes.quote_group_id,
        quotes.quote_id,
        quotes.quote_text,
        quotes.speaker_text,
        quotes.speaker_entity_id,
        articles.*
    from quotes
    inner join articles using (article_id)
),

-- first: earliest published, an original before a copy or rewrite on a tie (as for stories)
ranked as (
    select
        *,
        row_number() over (
            partition by quote_group_id
            order by {{ first_carried_order() }}, quote_id
        ) as position
    from carried
),

first_carrier as (
    select
        quote_group_id,
        quote_text,
        speaker_text,
        speaker_entity_id,
        article_id as first_article_id,
        outlet as first_outlet,
        published_date as first_published
    from ranked
    where position = 1
),

spread as (
    select
        quote_group_id,
        count(*) as quote_count,
        count(distinct article_id) as article_count,
        count(distinct outlet) as outlet_count,
        list(distinct outlet order by outlet) filter (where outlet is not null) as outlets,
        max(published_date) as last_published
    from carried
    group by quote_group_id
),

final as (
    select
        spread.quote_group_id,
        first_carrier.quote_text,
        first_carrier.speaker_text,
        first_carrier.speaker_entity_id,
        first_carrier.first_article_id,
        first_carrier.first_outlet,
        first_carrier.first_published,
        spread.last_published,
        spread.quote_count,
        spread.article_count,
        spread.outlet_count,
        spread.outlets
    from spread
    inner join first_carrier using (quote_group_id)
)

select * from final
