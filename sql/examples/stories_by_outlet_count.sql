-- Stories covered by the most outlets, what they are about, and who carried them first.
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
order by outlet_count desc, article_count desc, first_published
limit 20;
