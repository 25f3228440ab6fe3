-- Articles as the load stored them; loaded_run_id is the run that loaded each.
with source as (select * from {{ source('landing', 'articles') }})

select * rename (run_id as loaded_run_id) from source  -- noqa: AM04
