with entities as (select * from {{ ref('int_entities') }}),

mentions as (
    select
        article_id,
        entity_id,
        start_char,
        end_char
    from {{ ref('stg_entity_mentions') }}
),

place_mentions as (
    select
        article_id,
        start_char,
        end_char,
        place_id
    from {{ ref('stg_place_mentions') }}
    where mention_role = 'mention' and place_id is not null
),

-- a GPE/LOC entity's place: the one most of its mentions resolve to (one name can be two
-- places in two articles: "Georgia"; place_mentions has each)
entity_places as (
    select
        mentions.entity_id,
        place_mentions.place_id,
        count(*) as mention_count
    from mentions
    inner join place_mentions using (article_id, start_char, end_char)
    group by mentions.entity_id, place_mentions.place_id
),

main_place as (
    select
        entity_id,
        place_id
    from entity_places
    qualify row_number() over (partition by entity_id order by mention_count desc, place_id asc) = 1
),

final as (
    select
        entities.entity_id,
        entities.canonical_name,
        entities.entity_type,
        entities.aliases,
        entities.mention_count,
        entities.article_count,
        main_place.place_id
    from entities
    left join main_place using (entity_id)
)

select * from final
