-- Entity mentions with one canonical name across each story: a person named by one word
-- takes the full name the story gives them (int_story_person_names).
with mentions as (select * from {{ ref('stg_entity_mentions') }}),

full_names as (select * from {{ ref('int_story_person_names') }}),

resolved as (
    select
        -- (sqlfluff reads the excluded entity_id as an unqualified reference)
        mentions.* exclude (entity_id, canonical_name),  -- noqa: RF02
        coalesce(full_names.full_name, mentions.canonical_name) as canonical_name
    from mentions
    {{ join_story_full_name('mentions', 'canonical_name', "mentions.entity_type = 'PERSON'") }}
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
