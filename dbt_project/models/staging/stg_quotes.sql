{#- the same quotation in several articles: case, punctuation and quote marks folded -#}
{%- set folded_quote_text -%}
    trim(regexp_replace(regexp_replace(lower(replace(quote_text, '’', '''')), '[^a-z0-9'' ]+', ' ', 'g'), '\s+', ' ', 'g'))
{%- endset -%}

with source as (select * from {{ source('landing', 'quotes') }}),

keyed as (
    select
        {{ short_id("article_id || ':' || quote_index::varchar") }} as quote_id,
        article_id,
        quote_index,
        quote_text,
        quote_type,
        cue_text,
        cue_start,
        speaker_text,
        speaker_mention_text,
        speaker_start,
        speaker_end,
        speaker_kind,
        speaker_canonical,
        case when speaker_canonical is not null then {{ entity_id('speaker_canonical') }} end as speaker_entity_id,
        speaker_affiliation,
        start_char,
        end_char,
        {{ short_id(folded_quote_text) }} as quote_group_id
    from source
)

select * from keyed
