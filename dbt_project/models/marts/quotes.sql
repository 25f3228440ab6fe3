-- A view: the rows are int_quotes' (built incrementally); only the link to the warehouse's
-- entities is made here, as it changes with any article.
{{ config(materialized='view') }}

with quotes as (select * from {{ ref('int_quotes') }}),

entities as (select entity_id from {{ ref('int_entities') }}),

final as (
    select
        quotes.quote_id,
        quotes.article_id,
        quotes.quote_text,
        quotes.quote_type,
        quotes.speaker_text,
        -- only link speakers that are entities of the warehouse
        entities.entity_id as speaker_entity_id,
        quotes.cue_text,
        quotes.start_char,
        quotes.end_char,
        quotes.speaker_kind,
        quotes.speaker_mention_text,
        quotes.speaker_affiliation,
        quotes.quote_group_id
    from quotes
    left join entities on quotes.speaker_entity_id = entities.entity_id
)

select * from final
