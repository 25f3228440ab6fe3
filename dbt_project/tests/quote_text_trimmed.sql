-- A quotation never starts or ends with whitespace (a blanked dateline is spaces, a
-- paragraph break a newline) and is never empty.
select
    quote_id,
    article_id,
    quote_text
from {{ ref('quotes') }}
where
    regexp_matches(quote_text, '^\s|\s$')
    or regexp_replace(quote_text, '\s', '', 'g') = ''
