-- Entity mentions with one canonical name across each story: a person named by one word
-- takes the full name the story gives them (int_story_person_names).
with mentions as (
    select * from {{ ref('stg_entity_mentions') }}
),

members as (
    select article_id, story_id from {{ ref('stg_story_members') }}
),

full_names as (
    select * from {{ ref('int_story_person_names') }}
),

resolved as (
    select
        mentions.* exclude (entity_id, canonical_name),
        coalesce(full_names.full_name, mentions.canonical_name) as canonical_name
    from mentions
    left join members using (article_id)
    left join full_names
        on full_names.story_id = members.story_id
        and mentions.entity_type = 'PERSON'
        and not contains(trim(mentions.canonical_name), ' ')
        and lower(trim(mentions.canonical_name)) = full_names.short_name
),

final as (
    select
        article_id,
        mention_index,
        {{ entity_id('canonical_name') }} as entity_id,
        canonical_name,
        entity_type,
        mention_text,
        start_char,
        end_char
    from resolved
)

select * from final
