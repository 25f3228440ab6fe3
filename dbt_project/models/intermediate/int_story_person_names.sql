-- Across a story, a person one article names by one word only ("Kempthorne") is the person
-- another article of the story names in full ("Dirk Kempthorne"), where exactly one full
-- name of the story ends with that word: precision first, two Kims stay apart.
with mentions as (
    select
        article_id,
        canonical_name
    from {{ ref('stg_entity_mentions') }}
    where entity_type = 'PERSON'
),

members as (
    select
        article_id,
        story_id
    from {{ ref('stg_story_members') }}
),

full_names as (
    select distinct
        members.story_id,
        mentions.canonical_name as full_name,
        lower(regexp_extract(trim(mentions.canonical_name), '(\S+)$', 1)) as short_name
    from mentions
    inner join members using (article_id)
    where contains(trim(mentions.canonical_name), ' ')
),

story_names as (
    select
        story_id,
        short_name,
        min(full_name) as full_name
    from full_names
    group by story_id, short_name
    having count(distinct lower(full_name)) = 1
),

-- one row per article and one-word person name it uses, for its mentions and speakers to
-- join on (only the names an article uses: every name of a long story for every one of its
-- articles would grow as their product)
one_word_names as (
    select distinct
        mentions.article_id,
        members.story_id,
        lower(trim(mentions.canonical_name)) as short_name
    from mentions
    inner join members using (article_id)
    where not contains(trim(mentions.canonical_name), ' ')
),

final as (
    select
        one_word_names.article_id,
        story_names.story_id,
        story_names.short_name,
        story_names.full_name
    from one_word_names
    inner join story_names using (story_id, short_name)
)

select * from final
