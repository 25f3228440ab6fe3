with source as (
    select * from {{ source('landing', 'entity_mentions') }}
),

keyed as (
    select
        article_id,
        mention_index,
        -- one id per canonical name, whatever its case
        substr(md5(lower(canonical_name)), 1, 16) as entity_id,
        canonical_name,
        label as entity_type,
        mention_text,
        start_char,
        end_char
    from source
)

select * from keyed
