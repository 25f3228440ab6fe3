with entities as (
    select * from {{ ref('int_entities') }}
),

final as (
    select
        entity_id,
        canonical_name,
        entity_type,
        aliases,
        mention_count,
        article_count
    from entities
)

select * from final
