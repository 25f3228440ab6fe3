-- Stories covered by the most outlets, with their top entities and the first article and outlet
-- that carried each.
select
    story_id,
    headline,
    top_entities,
    outlet_count,
    article_count,
    original_count,
    copy_count,
    rewrite_count,
    first_outlet,
    first_published
from marts.stories
order by outlet_count desc, article_count desc, first_published asc
limit 20;
