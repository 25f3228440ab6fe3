with mentions as (select * from {{ ref('int_entity_mentions') }}),

final as (
    select
        article_id,
        entity_id,
        mention_text,
        start_char,
        end_char,
        entity_type as mention_type,
        mention_index
    from mentions
)

select * from final
