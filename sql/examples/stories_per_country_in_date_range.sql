-- Stories per country (each story's main country: that of its best-ranked place) among the stories
-- first published in a date range, with their articles and the most covered story's
-- headline. Set the range with variables (newsroom sql --param start_date=2024-01-01
-- --param end_date=2024-03-31); without them, the 30 days up to the latest story.
with latest as (
    select max(first_published) as published_date
    from marts.stories
),

date_range as (
    select
        coalesce(getvariable('start_date')::date, (latest.published_date - interval 30 day)::date) as start_date,
        coalesce(getvariable('end_date')::date, latest.published_date) as end_date
    from latest
),

stories as (
    select s.*
    from marts.stories as s
    cross join date_range
    where
        s.main_country_code is not null
        and s.first_published between date_range.start_date and date_range.end_date
)

select
    main_country_code as country_code,
    main_country_name as country_name,
    count(*) as stories,
    sum(article_count) as articles,
    arg_max(headline, article_count) as most_covered_headline
from stories
group by main_country_code, main_country_name
order by stories desc, articles desc, country_code asc;
