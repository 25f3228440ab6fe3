-- Story membership as the clustering stage stored it (stable ids; recent articles may be placed again).
with source as (select * from {{ source('landing', 'story_members') }})

select * from source  -- noqa: AM04
