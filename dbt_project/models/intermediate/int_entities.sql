-- One row per entity: its name, its type by majority vote of its mentions, and every
-- way the news wrote it.
with mentions as (select * from {{ ref('int_entity_mentions') }}),

type_votes as (
    select
        entity_id,
        entity_type,
        count(*) as votes
    from mentions
    group by entity_id, entity_type
),

majority_type as (
    select
        entity_id,
        entity_type
    from type_votes
    qualify row_number() over (partition by entity_id order by votes desc, entity_type asc) = 1
),

name_votes as (
    select
        entity_id,
        canonical_name,
        count(*) as votes
    from mentions
    group by entity_id, canonical_name
),

preferred_name as (
    select
        entity_id,
        canonical_name
    from name_votes
    qualify row_number() over (partition by entity_id order by votes desc, canonical_name asc) = 1
),

counts as (
    select
        entity_id,
        list(distinct mention_text order by mention_text) as aliases,
        count(*) as mention_count,
        count(distinct article_id) as article_count
    from mentions
    group by entity_id
),

final as (
    select
        counts.entity_id,
        preferred_name.canonical_name,
        majority_type.entity_type,
        counts.aliases,
        counts.mention_count,
        counts.article_count
    from counts
    inner join preferred_name using (entity_id)
    inner join majority_type using (entity_id)
)

select * from final
