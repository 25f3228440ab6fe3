-- Every request of the collect stage, with its outcome.
with source as (select * from {{ source('ops', 'fetches') }})

select * from source  -- noqa: AM04
