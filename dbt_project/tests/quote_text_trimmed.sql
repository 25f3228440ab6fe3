-- A quotation never starts or ends with whitespace (a blanked dateline is spaces, a
-- paragraph break a newline) and is never empty. A warning, recorded in the run's report:
-- as an error it failed a 20,000-article run over 3 quotes (2026-12-04), publishing nothing.
{{ config(severity='warn') }}
select
    quote_id,
    article_id,
    quote_text
from {{ ref('quotes') }}
where
    regexp_matches(quote_text, '^\s|\s$')
    or regexp_replace(quote_text, '\s', '', 'g') = ''
