-- Across a story, a person one article names by one word only ("Kempthorne") is the person
-- another article of the story names in full ("Dirk Kempthorne"), where exactly one full
-- name of the story ends with that word: precision first, two Kims stay apart.
with mentions as (
    select article_id, canonical_name from {{ ref('stg_entity_mentions') }}
    where entity_type = 'PERSON'
),

members as (
    select article_id, story_id from {{ ref('stg_story_members') }}
),

full_names as (
    select distinct
        members.story_id,
        mentions.canonical_name as full_name,
        lower(regexp_extract(trim(mentions.canonical_name), '(\S+)$', 1)) as short_name
    from mentions
    join members using (article_id)
    where contains(trim(mentions.canonical_name), ' ')
),

story_names as (
    select story_id, short_name, min(full_name) as full_name
    from full_names
    group by story_id, short_name
    having count(distinct lower(full_name)) = 1
),

-- one row per article and short name of its story: what a mention or a speaker joins on
final as (
    select members.article_id, story_names.story_id, story_names.short_name, story_names.full_name
    from story_names
    join members using (story_id)
)

select * from final
