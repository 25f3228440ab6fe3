-- A place is listed once per story, and each story's ranks run 1, 2, 3 ... without a gap.
select
    story_id,
    place_id
from {{ ref('story_places') }}
group by story_id, place_id
having count(*) > 1

union all

select
    story_id,
    null as place_id
from {{ ref('story_places') }}
group by story_id
having max(place_rank) <> count(*)
