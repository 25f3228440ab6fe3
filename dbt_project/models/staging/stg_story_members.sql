-- Story membership as the clustering stage stored it (stable ids, only extended or merged).
with source as (
    select * from {{ source('landing', 'story_members') }}
)

select * from source  -- noqa: AM04
