-- The quotations carried by the most outlets: who said them, and who carried them first.
select
    quote_text,
    speaker_text,
    outlet_count,
    article_count,
    first_outlet,
    first_published
from marts.quote_groups
order by outlet_count desc, article_count desc, first_published nulls last, quote_text
limit 20;
