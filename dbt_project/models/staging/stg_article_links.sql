-- Article links as the clustering stage stored them; found_run_id is the run that found the link.
with source as (select * from {{ source('landing', 'article_links') }})

select * rename (run_id as found_run_id) from source  -- noqa: AM04
