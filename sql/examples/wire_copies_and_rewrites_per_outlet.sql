-- Per outlet, how many articles are copies or paraphrased rewrites of another article, and of
-- which wire agency's.
with derived as (
    select
        coalesce(d.outlet, '(unknown outlet)') as outlet,
        d.syndication,
        coalesce(o.wire_agency, d.wire_agency) as wire_agency
    from marts.articles as d
    left join marts.articles as o on d.derived_from_article_id = o.article_id
)

select
    outlet,
    count(*) as articles,
    count(*) filter (where syndication = 'copy' and wire_agency is not null) as wire_copies,
    count(*) filter (where syndication = 'rewrite' and wire_agency is not null) as wire_rewrites,
    count(*) filter (where syndication = 'original' and wire_agency is not null) as credited_wire_originals
from derived
group by outlet
order by articles desc, outlet asc;
