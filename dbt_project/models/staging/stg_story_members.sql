with source as (
    select * from {{ source('landing', 'story_members') }}
)

select
    article_id,
    story_id,
    assigned_run_id,
    assigned_at
from source
