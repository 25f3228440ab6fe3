with quotes as (select * from {{ ref('stg_quotes') }}),

full_names as (select * from {{ ref('int_story_person_names') }}),

entities as (select entity_id from {{ ref('int_entities') }}),

-- a speaker named by one word is the person their story names in full, as in entity mentions
speakers as (
    select
        quotes.quote_id,
        coalesce({{ entity_id('full_names.full_name') }}, quotes.speaker_entity_id) as speaker_entity_id
    from quotes
    {{ join_story_full_name('quotes', 'speaker_canonical', "quotes.speaker_kind = 'named_person'") }}
),

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
    inner join speakers using (quote_id)
    left join entities on speakers.speaker_entity_id = entities.entity_id
)

select * from final
