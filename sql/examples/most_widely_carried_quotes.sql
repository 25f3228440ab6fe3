-- The quotations carried by the most outlets (the same words in syndicated copies and rewrites),
-- with their speaker and the outlet that carried each first.
select
    quote_text,
    speaker_text,
    outlet_count,
    article_count,
    first_outlet,
    first_published
from marts.quote_groups
order by outlet_count desc, article_count desc, first_published asc nulls last, quote_text asc
limit 20;
