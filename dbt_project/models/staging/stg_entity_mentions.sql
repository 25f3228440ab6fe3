with source as (select * from {{ source('landing', 'entity_mentions') }}),

keyed as (
    select
        article_id,
        mention_index,
        {{ entity_id('canonical_name') }} as entity_id,
        canonical_name,
        label as entity_type,
        mention_text,
        start_char,
        end_char
    from source
)

select * from keyed
