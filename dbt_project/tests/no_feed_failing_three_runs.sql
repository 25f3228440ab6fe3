-- Warns (does not fail the build) when a feed has failed three fetches in a row: feeds that
-- fail silently are the most frequent complaint about news collectors.
{{ config(severity='warn') }}

select
    feed_url,
    outlet,
    consecutive_failures,
    last_error
from {{ ref('feed_health') }}
where consecutive_failures >= 3
