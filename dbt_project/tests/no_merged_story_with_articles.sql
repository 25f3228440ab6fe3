-- A story id recorded as merged is no longer in use: no article belongs to it.
select
    story_merges.merged_story_id,
    count(*) as articles
from {{ ref('story_merges') }} as story_merges
inner join {{ ref('articles') }} as articles
    on story_merges.merged_story_id = articles.story_id
group by story_merges.merged_story_id
