-- Configured feeds and sitemaps as the collect stage left them after their last fetch.
with source as (select * from {{ source('ops', 'feeds') }})

select * rename (run_id as last_run_id) from source  -- noqa: AM04
