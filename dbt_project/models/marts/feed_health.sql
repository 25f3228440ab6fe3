-- Which feeds are failing, and since when: one row a configured feed or sitemap, with what
-- its pages became. A view, so that it is current as soon as `newsroom collect` has run.
{{ config(materialized='view') }}

with feeds as (select * from {{ ref('stg_feeds') }}),

fetches as (select * from {{ ref('stg_fetches') }}),

pages as (
    select
        outlet,
        count(*) filter (where error is null) as pages_fetched,
        count(*) filter (where error is not null) as pages_failed,
        max(fetched_at) filter (where error is null) as last_page_fetched_at
    from fetches
    where kind = 'page'
    group by outlet
),

final as (
    select
        feeds.feed_url,
        feeds.outlet,
        feeds.kind,
        feeds.consecutive_failures > 0 as is_failing,
        feeds.consecutive_failures,
        feeds.last_status,
        feeds.last_error,
        feeds.last_fetched_at,
        feeds.last_success_at,
        feeds.items_seen,
        feeds.new_items,
        coalesce(pages.pages_fetched, 0) as outlet_pages_fetched,
        coalesce(pages.pages_failed, 0) as outlet_pages_failed,
        pages.last_page_fetched_at
    from feeds
    left join pages using (outlet)
)

select * from final
