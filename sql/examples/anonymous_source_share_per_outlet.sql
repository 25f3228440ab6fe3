-- Per outlet, the share of quotes attributed to anonymous officials or anonymous sources.
select
    coalesce(a.outlet, '(unknown outlet)') as outlet,
    count(*) as quotes,
    count(*) filter (where q.speaker_kind in ('anonymous_official', 'anonymous_source')) as anonymous_quotes,
    round(count(*) filter (where q.speaker_kind in ('anonymous_official', 'anonymous_source')) / count(*), 3)
        as anonymous_share
from marts.quotes as q
inner join marts.articles as a using (article_id)
group by outlet
order by anonymous_share desc, quotes desc;
