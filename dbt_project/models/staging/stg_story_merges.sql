with source as (select * from {{ source('landing', 'story_merges') }})

select
    merged_story_id,
    surviving_story_id,
    run_id as merged_run_id,
    merged_at
from source
