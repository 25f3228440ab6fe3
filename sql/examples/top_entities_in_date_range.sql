-- Most mentioned entities in articles published in a date range.
with mentions as (
    select m.entity_id, m.article_id
    from marts.entity_mentions m
    join marts.articles a using (article_id)
    where a.published_date between date '2022-01-01' and date '2022-12-31'
)

select
    e.canonical_name,
    e.entity_type,
    count(*) as mentions,
    count(distinct mentions.article_id) as articles
from mentions
join marts.entities e using (entity_id)
group by e.canonical_name, e.entity_type
order by mentions desc, e.canonical_name
limit 20;
