-- Resolving names across a story must not multiply mentions: one row per article and position.
select
    article_id,
    mention_index,
    count(*) as copies
from {{ ref('int_entity_mentions') }}
group by article_id, mention_index
having count(*) > 1
