with story_merges as (select * from {{ ref('stg_story_merges') }})

select
    merged_story_id,
    surviving_story_id,
    merged_run_id,
    merged_at
from story_merges
