-- Most mentioned entities in articles published in a date range, with how many articles
-- mention them. Set the range with variables (newsroom sql --param start_date=2024-01-01
-- --param end_date=2024-03-31, or SET VARIABLE start_date = '2024-01-01' in the DuckDB CLI);
-- without them, the 30 days up to the latest article in the warehouse.
with latest as (
    select max(published_date) as published_date
    from marts.articles
),

date_range as (
    select
        coalesce(getvariable('start_date')::date, (latest.published_date - interval 30 day)::date) as start_date,
        coalesce(getvariable('end_date')::date, latest.published_date) as end_date
    from latest
),

mentions as (
    select
        m.entity_id,
        m.article_id
    from marts.entity_mentions as m
    inner join marts.articles as a using (article_id)
    cross join date_range
    where a.published_date between date_range.start_date and date_range.end_date
)

select
    e.canonical_name,
    e.entity_type,
    count(*) as mentions,
    count(distinct mentions.article_id) as articles
from mentions
inner join marts.entities as e using (entity_id)
group by e.canonical_name, e.entity_type
order by mentions desc, e.canonical_name asc
limit 20;
